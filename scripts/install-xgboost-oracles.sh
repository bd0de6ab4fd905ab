#!/usr/bin/env bash
# Installs the xgboost oracles beside Debian's python3-xgboost 1.7.4 (/usr/bin/python3): one virtual
# environment per version in .oracles/xgboost-<version>/, each with PyPI's CPU-only `xgboost-cpu` (the plain
# `xgboost` wheel pulls in a large GPU library) and what scripts/xgboost-fixtures.py imports. The fixture and
# differential tests (test/xgboost/) hold the evaluator to each of them, and fail naming `npm run oracles`
# when one is missing.
#
#   npm run oracles                       # or: bash scripts/install-xgboost-oracles.sh
#   bash scripts/install-xgboost-oracles.sh --versions    # prints the versions, one a line
#
# Idempotent: a venv that already imports the right versions is left alone (a second run takes about a
# second); a broken or outdated one is made again. Needs `python3 -m venv` (Debian: apt-get install -y
# python3-venv) and PyPI. XGBOOST_ORACLES_DIR moves the venvs; XGBOOST_ORACLES_PYTHON picks the python3.
set -euo pipefail

# The versions, in one place: test/helpers/xgboost-oracle.ts and scripts/xgboost-fixtures.py read this line.
# 2.1.4: the last 2.x; 3.0.5: SageMaker's XGBoost 3.0-5 container; 3.2.0: the newest 3.x this machine's PyPI
# index has (3.3 and 3.4 are not on it).
XGBOOST_VERSIONS=(2.1.4 3.0.5 3.2.0)
# Pinned so the committed fixtures (numpy's random streams, its float printing) come out the same bytes
# everywhere; the versions these fixtures were written with.
PACKAGES=(numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1)

if [[ "${1:-}" == "--versions" ]]; then
  printf '%s\n' "${XGBOOST_VERSIONS[@]}"
  exit 0
fi

cd "$(dirname "$0")/.."
ORACLES="${XGBOOST_ORACLES_DIR:-.oracles}"
BASE_PYTHON="${XGBOOST_ORACLES_PYTHON:-python3}"

if ! "$BASE_PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  echo "install-xgboost-oracles: $BASE_PYTHON cannot make a venv with pip (Debian: apt-get install -y python3-venv)" >&2
  exit 1
fi

# The check a venv must pass to be left alone: every package imports, at the versions asked for.
check='
import sys, importlib.metadata as m
import xgboost
wanted = dict(arg.split("==") for arg in sys.argv[1:])
have = {name: m.version(name) for name in wanted}
sys.exit(0 if have == wanted else 1)
'

for version in "${XGBOOST_VERSIONS[@]}"; do
  venv="$ORACLES/xgboost-$version"
  if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c "$check" "xgboost-cpu==$version" "${PACKAGES[@]}" 2>/dev/null; then
    echo "xgboost $version: $venv (already installed)"
    continue
  fi
  echo "xgboost $version: installing into $venv"
  rm -rf "$venv"
  "$BASE_PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "xgboost-cpu==$version" "${PACKAGES[@]}"
  "$venv/bin/python" -c "$check" "xgboost-cpu==$version" "${PACKAGES[@]}"
  echo "xgboost $version: $venv"
done
