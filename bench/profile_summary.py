"""Where the sampled time went: a summary of py-spy's collapsed stacks (``py-spy record --format raw``,
as ``bench/server_load.py --profile DIR`` writes them).

    python bench/profile_summary.py DIR/*.txt [--top 40] [--match TEXT]

Prints the share of samples per function: ``self`` (the innermost frame) and ``inclusive`` (the
function anywhere on the stack, counted once per sample). ``--match`` keeps the inclusive lines whose
function or file contains TEXT (e.g. ``sync/`` for our own code).
"""

from __future__ import annotations

import argparse
import collections
import re

FRAME = re.compile(r"^(?P<name>.*) \((?P<file>.*?)(?::\d+)?\)$")


def _frame_name(frame: str) -> str:
    match = FRAME.match(frame)
    if not match:
        return frame
    where = match["file"].split("site-packages/")[-1]
    return f"{match['name']} ({where})"


def summarise(paths: list[str]) -> tuple[int, collections.Counter, collections.Counter]:
    own: collections.Counter = collections.Counter()
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                stack, _, count = line.rstrip("\n").rpartition(" ")
                if not stack or not count.isdigit():
                    continue
                samples = int(count)
                names = [_frame_name(frame) for frame in stack.split(";")]
                total += samples
                own[names[-1]] += samples
                for name in set(names):
                    inclusive[name] += samples
    return total, own, inclusive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default=None)
    args = parser.parse_args()
    total, own, inclusive = summarise(args.paths)
    print(f"{total} samples")
    print("self:")
    for name, samples in own.most_common(args.top):
        print(f"  {100 * samples / total:5.1f}%  {name}")
    print("inclusive:")
    shown = [(n, s) for n, s in inclusive.most_common() if not args.match or args.match in n]
    for name, samples in shown[:args.top]:
        print(f"  {100 * samples / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
