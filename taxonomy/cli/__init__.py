"""The ``taxonomy`` command line: argument parsing, output, and exit statuses.

Exit statuses: 0 success, 1 a check found errors or an unexpected failure, 2 bad input
(unknown id or name, bad arguments, missing or unreadable store).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from taxonomy import __version__
from taxonomy.cli import commands, graphdb, labeling, link, ood, review, serve, wikidata
from taxonomy.cli.arguments import positive
from taxonomy.errors import TaxonomyError
from taxonomy.paths import STORE_ENV

Handler = Callable[[argparse.Namespace], commands.Output]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", metavar="PATH|URI", default=argparse.SUPPRESS,
                        help=f"the store file (default: ${STORE_ENV}, else ~/.local/share/taxonomy/taxonomy.sqlite); "
                             "read commands also take a Neo4j database: neo4j://[USER@]HOST[:PORT][/DATABASE] "
                             "with the password in $NEO4J_PASSWORD")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    common.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bars (they are shown only on a terminal anyway)")

    parser = argparse.ArgumentParser(
        prog="taxonomy", description="The open label system for mega-scale vision datasets.", parents=[common])
    parser.add_argument("--version", action="version", version=f"taxonomy {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = command("build", commands.build, "build the store from WordNet 3.0 and the shipped label sets")
    p.add_argument("--wordnet-dir", metavar="DIR", help="WordNet 3.0 files or an NLTK data folder "
                   "(default: an NLTK data folder holding WordNet, else /usr/share/wordnet)")
    p = command("show", commands.show, "show a concept, or list the senses of a name")
    p.add_argument("concept", metavar="ID|NAME")
    p = command("search", commands.search, "find concepts by name (exact, prefix, then substring)")
    p.add_argument("text")
    p.add_argument("--limit", type=positive, default=20)
    p = command("ancestors", commands.ancestors, "every ancestor of a concept, nearest first")
    p.add_argument("concept", metavar="ID|NAME")
    p = command("descendants", commands.descendants, "descendants of a concept, nearest first")
    p.add_argument("concept", metavar="ID|NAME")
    p.add_argument("--limit", type=positive, default=50)
    p = command("path", commands.path, "every path from the root down to a concept")
    p.add_argument("concept", metavar="ID|NAME")
    p = command("lca", commands.lca, "the lowest common ancestor(s) of two concepts")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p = command("is-a", commands.is_a, "whether a concept is (a kind of) another")
    p.add_argument("concept", metavar="ID|NAME")
    p.add_argument("ancestor", metavar="ANCESTOR")
    p = command("related", commands.related, "the related set of a concept (descendants of its hypernyms)")
    p.add_argument("concept", metavar="ID|NAME")
    p.add_argument("--limit", type=positive, default=50)
    command("stats", commands.stats, "counts of concepts, edges, names and label sets")
    p = command("labels", commands.labels, "list label sets, or a label set's classes by index; "
                "'labels set DATASET INDEX CONCEPT' maps one class by hand")
    p.add_argument("dataset", nargs="?", help="a label set, or 'set'")
    p.add_argument("index", nargs="*", metavar="INDEX", help="a class index (set: DATASET INDEX CONCEPT)")
    p.add_argument("--limit", type=positive, default=20)
    p.add_argument("--reason", default="", help="set: why, kept with the mapping it replaces")
    p = command("export", commands.export, "write the store (or a subtree) to a file")
    p.add_argument("--format", required=True, choices=["bamboo-json", "jsonl", "graphml"])
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--root", metavar="ID|NAME", help="export only this concept and its descendants")
    p = command("import", commands.import_, "merge a Bamboo label-system JSON into the store")
    p.add_argument("file")
    p.add_argument("--format", default="bamboo-json", choices=["bamboo-json"])
    p = command("check", commands.check, "run the integrity checks (E1xx errors, W2xx warnings)")
    p.add_argument("--repair", action="store_true",
                   help="compile the graph index again if it is damaged (its checksum does not match), and "
                        "fill the tables of WordNet's relations a store upgraded from before them has empty (W205)")
    p.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes, e.g. E,W202")
    p.add_argument("--limit", type=positive, default=20, help="findings to list (all with --json)")
    command("compile", commands.compile_index, "compile the graph index again and save it whole (commits grow it "
            "instead; this folds their log in, for a quicker open)")
    for module in (labeling, link, review, ood, serve, wikidata, graphdb):
        module.register(sub, common)
    for plugin in entry_points(group="taxonomy.commands"):  # the pipeline lives in retrieval/
        plugin.load()(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    args.store = getattr(args, "store", None)
    as_json = args.json = getattr(args, "json", False)
    to_stdout = getattr(args, "output", None) == "-"  # the data goes to stdout: the summary to stderr
    try:
        commands.check_output_folder(getattr(args, "output", None))
        output: commands.Output = args.handler(args)
    except TaxonomyError as error:
        print(f"taxonomy: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("taxonomy: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"taxonomy: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except Exception as error:  # a bug: say so in one line, show the traceback only on request
        if os.environ.get("TAXONOMY_DEBUG"):
            raise
        print(f"taxonomy: internal error: {type(error).__name__}: {error} (set TAXONOMY_DEBUG=1 for details)",
              file=sys.stderr)
        return 1
    try:
        summary = json.dumps(output.data, ensure_ascii=False, indent=2) if as_json and not output.raw else output.text
        if summary is not None:
            print(summary, file=sys.stderr if to_stdout else sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `taxonomy ... | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return output.status


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
