"""ODC Desktop: offline-first entry of Bojonegoro's procurement processes, published as OCDS."""

__version__ = "0.1.0"
