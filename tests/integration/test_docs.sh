#!/usr/bin/env bash
# The documents a user gets (README.md, docs/*.md, demo/README.md) stand on
# their own: they cite no document the user does not have (SPEC.md, the
# developers' specification), every relative link names a file of the
# repository, and every #anchor a heading of it. The scoring rules live in
# docs/SCORING.md, which the README and docs/API.md point to.
. "$(dirname "$0")/lib.sh"

: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
cd "$SOURCE_DIR"
docs=(README.md demo/README.md docs/*.md)
[ -f docs/SCORING.md ] || fail "docs/SCORING.md is missing"
grep -q 'docs/SCORING.md' README.md || fail "README.md does not point to docs/SCORING.md"
grep -q '(SCORING.md)' docs/API.md || fail "docs/API.md does not point to SCORING.md"

if grep -nE '\bSPEC\b|SPEC\.md' "${docs[@]}"; then
	fail "the lines above cite SPEC, which users do not have: cite docs/SCORING.md or say it"
fi

python3 - "${docs[@]}" <<'EOF'
import os, re, sys

def slug(heading):
    # GitHub's anchors: lower case, punctuation dropped, spaces to hyphens
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")

def anchors(path):
    found, fence = set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        elif not fence and line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found

bad = []
for doc in sys.argv[1:]:
    text = open(doc, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)   # code blocks hold no links
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue                                      # http:, mailto:
        path, _, anchor = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
        if not os.path.exists(full):
            bad.append("%s: link to %s: no such file" % (doc, target))
        elif anchor and full.endswith(".md") and anchor not in anchors(full):
            bad.append("%s: link to %s: no such heading" % (doc, target))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
note "ok: ${#docs[@]} documents, no citation of SPEC, every relative link resolves"
