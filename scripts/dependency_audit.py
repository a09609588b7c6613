"""Known vulnerabilities in the installed dependencies (`make audit`, run by .ci/run).

pip-audit checks every package of the project's virtualenv — the pins of requirements*.txt and
what they pulled in — against PyPI's own advisories. Where PyPI cannot be asked about a package,
pip-audit skips it and still prints "No known vulnerabilities found", with exit code 0, even when
it could ask about none: that must never read as a pass. So its JSON report is read here and the
outcome said in one of three ways:

- every package audited, none vulnerable: exit 0;
- a known vulnerability: each listed with its fix, exit 1, always;
- packages that could not be audited (no network, or no route to the advisories): "NOT DONE" in
  capitals with the reason, then exit 2, or exit 0 with the same words when AUDIT_UNREACHABLE=warn
  (for a CI that reaches the package index but not the advisories: .ci/run says why).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
COMMAND = ["--vulnerability-service", "pypi", "--progress-spinner", "off", "--format", "json"]


def run_pip_audit() -> tuple[dict | None, str]:
    """pip-audit's JSON report of this virtualenv (None if it wrote none), and its error output."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [str(PIP_AUDIT), *COMMAND, "--output", str(report)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        text = report.read_text() if report.exists() else ""
    return (json.loads(text) if text else None), result.stderr.strip()


def verdict(report: dict | None, errors: str, *, unreachable: str) -> tuple[int, list[str]]:
    """The exit code and the lines to print for a pip-audit report."""
    if report is None:
        return _not_done(["pip-audit wrote no report:", *errors.splitlines()[-2:]], unreachable)
    packages = report.get("dependencies", [])
    vulnerable = [p for p in packages if p.get("vulns")]
    skipped = [p for p in packages if "skip_reason" in p]
    if vulnerable:
        return 1, [
            f"{len(vulnerable)} package(s) with known vulnerabilities:",
            *_listed(vulnerable),
        ]
    if skipped or not packages:
        reasons = [f"  {p['name']}: {p['skip_reason']}" for p in skipped[:5]]
        more = [f"  ... and {len(skipped) - 5} more"] if len(skipped) > 5 else []
        summary = f"{len(skipped)} of {len(packages)} packages could not be audited:"
        return _not_done([summary, *reasons, *more], unreachable)
    return 0, [f"Dependency audit: no known vulnerabilities in {len(packages)} packages."]


def _listed(vulnerable: list[dict]) -> list[str]:
    lines = []
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(
                f"  {package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})"
            )
    return lines


def _not_done(reasons: list[str], unreachable: str) -> tuple[int, list[str]]:
    head = "DEPENDENCY AUDIT NOT DONE: the vulnerability database could not be asked."
    tail = "This is NOT a pass: nothing is known about these packages' vulnerabilities." + (
        " (AUDIT_UNREACHABLE=warn: carrying on.)" if unreachable == "warn" else ""
    )
    return (0 if unreachable == "warn" else 2), [head, *reasons, tail]


def main() -> int:
    report, errors = run_pip_audit()
    code, lines = verdict(report, errors, unreachable=os.environ.get("AUDIT_UNREACHABLE", "fail"))
    print("\n".join(lines), file=sys.stdout if code == 0 else sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
