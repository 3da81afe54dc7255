"""Findings and the report a person reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One problem: which check, which node, what is wrong and what to do."""

    check: str  # "shacl", "reasoner", "quotes", "parse"
    node: str
    message: str
    rule: str = ""
    value: str = ""
    severity: str = "ERROR"

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ("check", "severity", "node", "rule", "value", "message")}


@dataclass
class Report:
    """The outcome of :func:`t2dm_onto.validate.validate`."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    steps: dict[str, str] = field(default_factory=dict)  # step -> "passed" / "failed" / "skipped: why"
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "ERROR" for f in self.findings)

    @property
    def skipped(self) -> dict[str, str]:
        """Each check that did not run, with why: the report must not read as a full pass then."""
        return {step: status.partition(":")[2].strip() or status
                for step, status in self.steps.items() if status.startswith("skipped")}

    def warnings(self) -> list[str]:
        return [f"WARNING: the {step} check was skipped ({why}); the result does not cover it."
                for step, why in self.skipped.items()]

    def text(self) -> str:
        lines = [f"Validating {self.source}"]
        for step, status in self.steps.items():
            secs = self.timings.get(step)
            lines.append(f"  {step:<9} {status}" + (f"  ({secs:.2f} s)" if secs is not None else ""))
        for f in sorted(self.findings, key=lambda f: (f.check, f.node, f.rule, f.value)):
            lines.append(f"{f.severity} [{f.check}] {f.node}")
            if f.rule:
                lines.append(f"    rule:  {f.rule}")
            if f.value:
                lines.append(f"    value: {f.value}")
            lines.append(f"    {f.message}")
        n = sum(f.severity == "ERROR" for f in self.findings)
        lines += self.warnings()
        if not self.ok:
            lines.append(f"FAILED: {n} problem(s).")
        elif self.skipped:
            lines.append(f"INCOMPLETE: no problems found, but {len(self.skipped)} check(s) skipped: "
                         f"{', '.join(self.skipped)} (see WARNING above).")
        else:
            lines.append("PASSED: no problems found.")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "ok": self.ok,
            "complete": not self.skipped,
            "warnings": self.warnings(),
            "steps": self.steps,
            "timings": self.timings,
            "findings": [f.as_dict() for f in self.findings],
        }
