"""The form registry (no Qt): every form version an entry may point at, shipped or stored in the data
folder, looked up by ``(id, version, content hash)``. See :mod:`.registry` for the rules."""

from odc_desktop.form_registry.refused import FormRefused, StoredFormProblem
from odc_desktop.form_registry.registry import FormRegistry

__all__ = ["FormRefused", "FormRegistry", "StoredFormProblem"]
