#!/bin/sh
# The Python client's tests, against the package as a user installs it: a venv made from
# Debian's python3 (with its python3-websockets, -serial, -pytest, -pytest-asyncio), the package
# installed with --no-build-isolation and no package index, then pytest on tests/.
# Extra arguments go to pytest, e.g. `sh clients/python/run-tests.sh -k reconnect`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${SERIALBRIDGE_PYTHON:-/usr/bin/python3}
venv="$here/.tmp/venv"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv --system-site-packages "$venv"
fi
if ! "$venv/bin/python" -c "import wheel" 2>/dev/null; then
  echo "run-tests.sh: setuptools 66 needs the 'wheel' package to build (Debian: apt-get install python3-wheel)" >&2
  exit 1
fi
# websockets comes from Debian's python3-websockets: pip only checks that it is there.
PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install -q --no-build-isolation --no-index "$here"

cd "$here"
# The src/ layout keeps the source tree off sys.path: this must be the installed copy.
"$venv/bin/python" - "$venv" <<'PY'
import sys, serialbridge
if not serialbridge.__file__.startswith(sys.argv[1]):
    sys.exit(f"run-tests.sh: testing {serialbridge.__file__}, not the installed package")
PY
exec "$venv/bin/python" -m pytest "$@"
