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
        lines.append("PASSED: no problems found." if self.ok else f"FAILED: {n} problem(s).")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "ok": self.ok,
            "steps": self.steps,
            "timings": self.timings,
            "findings": [f.as_dict() for f in self.findings],
        }
