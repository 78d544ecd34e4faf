"""Run every benchmark: `./dev bench [--quick]`; figures go to bench/README.md by hand."""

from __future__ import annotations

import argparse
import importlib
import sys

BENCHMARKS = ("engine", "hotpath", "aggregate", "desk", "surge", "webchat", "purge", "memory")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    args, extra = parser.parse_known_args()  # the rest goes to each benchmark (e.g. --kakao)
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    for name in args.names or BENCHMARKS:
        print(f"\n== bench.{name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        sys.argv = [f"bench.{name}", *(["--quick"] if args.quick else []), *extra]
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
