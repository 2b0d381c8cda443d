"""The mutation score per rule module after `make mutation` (issue 16): killed / checked mutants, from mutmut's
own records in mutants/<app>/policy.py.meta. Exits 1 when a module is below the bar (default 90 %)."""

import json
import sys
from pathlib import Path

TIMEOUTS = {24, -24, 36, 152, 255}
KILLED = {1, 3, 37} | TIMEOUTS  # failing tests, pytest errors, type-check catches and timeouts count, as in mutmut


def score(meta: Path) -> tuple[int, int, int]:
    """(killed, of which timeouts, checked) for one module."""
    codes = json.loads(meta.read_text())["exit_code_by_key"].values()
    checked = [code for code in codes if code is not None]
    return sum(code in KILLED for code in checked), sum(code in TIMEOUTS for code in checked), len(checked)


def main(modules: list[str], bar: float) -> int:
    failed = False
    for module in modules:
        meta = Path("mutants") / module / "policy.py.meta"
        if not meta.exists():
            continue
        killed, timeouts, checked = score(meta)
        percent = 100 * killed / checked if checked else 100.0
        failed |= percent < bar
        below = f"  (below {bar:g} %)" if percent < bar else ""
        print(f"{module}/policy.py: {killed}/{checked} killed ({timeouts} by timeout), {percent:.1f} %{below}")
    return 1 if failed else 0


if __name__ == "__main__":
    bar = float(sys.argv[1])
    sys.exit(main(sys.argv[2:], bar))
