#!/usr/bin/env python3
"""Run the W3C Feed Validation Service's engine over every XML document of an export.

    EDGEFEED_FEEDVALIDATOR=/path/to/feedvalidator \
        python3 bench/w3c-validate.py EXPORT_DIR [--base URL] [--allow DuplicateUpdated] [--list]

The engine (github.com/w3c/feedvalidator, Python 3) is not on npm or Debian and is not ours to
copy into this repository: check it out somewhere else and point EDGEFEED_FEEDVALIDATOR at it
(the checkout's root or its `src/`). It needs Debian's `python3-html5lib`. Without it, this
prints why and exits 0, like every check that needs something only a maintainer has.

Each RSS, Atom and OPML document of the export (`npm run build -- --export DIR`) is checked as
served: with its media type and its public URL (`--base` + its path, so `rel="self"` matches).
Prints, per feed type, the count of each error and warning type, and exits 1 when any error or
any warning not named by `--allow` was found.
"""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

MEDIA_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "opml.xml": "text/x-opml; charset=utf-8",
}


def find_engine():
    root = os.environ.get("EDGEFEED_FEEDVALIDATOR", "")
    if not root:
        return None, "EDGEFEED_FEEDVALIDATOR is not set (a checkout of github.com/w3c/feedvalidator)"
    for candidate in (Path(root) / "src", Path(root)):
        if (candidate / "feedvalidator" / "__init__.py").is_file():
            sys.path.insert(0, str(candidate))
            try:
                import feedvalidator.validators  # noqa: F401 (imports html5lib)
            except ImportError as error:
                # A pyenv or venv python3 may lack Debian's html5lib: use Debian's own python3.
                system = "/usr/bin/python3"
                if sys.executable != system and os.path.exists(system) and not os.environ.get("W3C_VALIDATE_REEXEC"):
                    os.environ["W3C_VALIDATE_REEXEC"] = "1"
                    os.execv(system, [system, *sys.argv])
                return None, f"the engine at {candidate} does not load ({error}); apt-get install python3-html5lib"
            return candidate, None
    return None, f"{root} holds no feedvalidator/__init__.py"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export_dir")
    parser.add_argument("--base", default="http://127.0.0.1:8787", help="the build's --site-url")
    parser.add_argument("--allow", action="append", default=[], help="a warning type to accept")
    parser.add_argument("--list", action="store_true", help="print every message with its document")
    args = parser.parse_args()

    engine, reason = find_engine()
    if engine is None:
        print(f"w3c-validate: skipped — {reason}")
        return 0

    import feedvalidator
    from feedvalidator import logging as fvlog

    export = Path(args.export_dir)
    documents = sorted(p for p in export.rglob("*.xml") if p.name in MEDIA_TYPES)
    if not documents:
        print(f"w3c-validate: no RSS, Atom or OPML documents under {export}")
        return 1

    base = args.base.rstrip("/")
    counts = {"error": Counter(), "warning": Counter()}
    per_type = Counter()
    failing = 0
    for path in documents:
        url = base + "/" + path.relative_to(export).as_posix()
        with open(path, "rb") as stream:
            result = feedvalidator.validateStream(stream, 0, MEDIA_TYPES[path.name], url)
        per_type[fvlog.FEEDTYPEDISPLAY.get(result.get("feedType") or 0, "?")] += 1
        bad = False
        for event in result["loggedEvents"]:
            if isinstance(event, fvlog.Error):
                level = "error"
            elif isinstance(event, fvlog.Warning):
                level = "warning"
            else:
                continue
            name = type(event).__name__
            counts[level][name] += 1
            if level == "error" or name not in args.allow:
                bad = True
            if args.list:
                line = event.params.get("line", "?")
                print(f"  {level} {name} {path.relative_to(export)}:{line} {describe(event.params)}")
        failing += bad

    print(f"w3c-validate: {len(documents)} documents ({', '.join(f'{n} {t}' for t, n in sorted(per_type.items()))})")
    for level in ("error", "warning"):
        total = sum(counts[level].values())
        detail = ", ".join(f"{name} {n}" for name, n in sorted(counts[level].items()))
        print(f"  {level}s: {total}" + (f" ({detail})" if detail else ""))
    allowed = f" (allowed: {', '.join(args.allow)})" if args.allow else ""
    print(f"  documents with an error or a warning not allowed: {failing}{allowed}")
    return 1 if failing else 0


def describe(params):
    keep = ("element", "parent", "tag", "attr", "value")
    return " ".join(f"{k}={params[k]}" for k in keep if k in params)[:200]


if __name__ == "__main__":
    sys.exit(main())
