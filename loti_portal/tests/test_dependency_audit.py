"""`make audit` (scripts/dependency_audit.py): what each pip-audit report means, stated so that an
audit that could not be done never reads as a pass."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "dependency_audit.py"
_spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": [], "description": ""}],
}
SKIPPED = {"name": "qrcode", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def report(*packages) -> dict:
    return {"dependencies": list(packages), "fixes": []}


def test_every_package_audited_and_clean_passes():
    code, lines = audit.verdict(report(CLEAN, CLEAN), "", unreachable="fail")

    assert code == 0
    assert lines == ["Dependency audit: no known vulnerabilities in 2 packages."]


@pytest.mark.parametrize("unreachable", ["fail", "warn"])
def test_a_known_vulnerability_always_fails_naming_the_fix(unreachable):
    code, lines = audit.verdict(report(CLEAN, VULNERABLE, SKIPPED), "", unreachable=unreachable)

    assert code == 1
    assert "  django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in lines


def test_packages_that_could_not_be_audited_are_not_a_pass():
    """pip-audit itself says "No known vulnerabilities found" and exits 0 here."""
    code, lines = audit.verdict(report(SKIPPED, SKIPPED), "", unreachable="fail")

    assert code == 2
    assert lines[0].startswith("DEPENDENCY AUDIT NOT DONE")
    assert "2 of 2 packages could not be audited:" in lines
    assert "This is NOT a pass" in lines[-1]


def test_some_packages_unaudited_is_not_a_pass_either():
    code, lines = audit.verdict(report(CLEAN, SKIPPED), "", unreachable="fail")

    assert code == 2
    assert "1 of 2 packages could not be audited:" in lines


def test_where_the_database_is_unreachable_ci_may_carry_on_saying_so():
    code, lines = audit.verdict(report(SKIPPED), "", unreachable="warn")

    assert code == 0
    assert lines[0].startswith("DEPENDENCY AUDIT NOT DONE")
    assert "NOT a pass" in lines[-1] and "AUDIT_UNREACHABLE=warn" in lines[-1]


def test_no_report_at_all_is_not_a_pass():
    error = "requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/..."
    code, lines = audit.verdict(None, f"Traceback\n{error}", unreachable="fail")

    assert code == 2
    assert error in lines
    assert lines[0].startswith("DEPENDENCY AUDIT NOT DONE")
