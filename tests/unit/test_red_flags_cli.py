"""`odc validate` lists the red flags of a file built by the real export, as a real process."""

from __future__ import annotations

import json

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.ocds.release import release_package
from tests.odc_cli import odc
from tests.unit.test_red_flags import built, package


def test_odc_validate_lists_the_flags_of_a_built_file_as_warnings(tmp_path):
    forms = load_form_set()
    releases = (built(forms, {"tender": {"jumlah_peserta": 1}, "contract": {"tanggal_tanda_tangan": "2024-04-01"}})
                + package(forms, 1, 195_000_000) + package(forms, 2, 198_000_000))
    path = tmp_path / "bojonegoro.json"
    path.write_text(json.dumps(release_package(releases, "2024-10-01")), encoding="utf-8")

    said = odc("validate", "--profile", "bojonegoro", str(path))
    assert said.returncode == 0, said.stdout + said.stderr  # flags are warnings, never errors
    assert "Tingkat error: 0 masalah · profile: 0 masalah · flag: 4 masalah" in said.stdout
    assert ("[flag] releases/1/tender/numberOfTenderers: Hanya satu penawar pada metode kompetitif (Tender)."
            in said.stdout)
    assert "[flag] releases/3/contracts/0/dateSigned: Kontrak ditandatangani (2024-04-01) sebelum" in said.stdout

    report = json.loads(odc("--lang", "en", "validate", "--json", str(path)).stdout)
    assert report["counts"]["flag"] == 4 and report["counts"]["error"] == 0
    flagged = {(p["path"], p["code"]) for p in report["problems"] if p["level"] == "flag"}
    assert flagged == {("releases/1/tender/numberOfTenderers", "single_bidder"),
                       ("releases/3/contracts/0/dateSigned", "contract_signed_before_award"),
                       ("releases/6/planning/budget/amount/amount", "split_below_direct_ceiling"),
                       ("releases/7/planning/budget/amount/amount", "split_below_direct_ceiling")}
    split = next(p for p in report["problems"] if p["path"].startswith("releases/6"))
    assert "just under the direct-procurement ceiling IDR 200,000,000" in split["message"]
