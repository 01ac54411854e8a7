"""``python -m engine bench``: training speed in steps/s (the measurements are engine.bench's)."""

from __future__ import annotations

import argparse

from engine.cli.flags import add_subcommand


def add_parser(sub) -> argparse.ArgumentParser:
    bench = add_subcommand(sub, "bench", main, help="print training speed in steps/s")
    bench.add_argument("--quick", action="store_true", help="shorter measurements")
    return bench


def main(args, parser) -> int:
    from engine.bench import main as bench_main  # the benchmark's imports only when it runs

    return bench_main(quick=args.quick)
