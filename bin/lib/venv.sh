# Python environments for the Airflow DAG tests and the notebooks, made from pinned files.
# Each lives in ~/.shoplake/venvs/<name>-<hash of its requirement files>: made once, reused
# while those files are unchanged, a new one made when they change. A marker written last
# tells a complete environment from one an interrupted install left behind (made again).

ensure_python() {
  command -v python3 >/dev/null || apt_install python3
  python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
}

# ensure_venv NAME REQUIREMENTS CONSTRAINTS: prints the environment's folder.
ensure_venv() {
  local name="$1" requirements="$2" constraints="$3"
  local hash dir
  hash="$(cat "$(dirname "$requirements")"/requirements*.txt "$constraints" | sha256sum | cut -c1-12)"
  dir="$HOME/.shoplake/venvs/$name-$hash"
  if [ ! -f "$dir/.complete" ]; then
    log "creating Python environment $dir"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    python3 -m venv "$dir" >&2
    "$dir/bin/pip" install -q --disable-pip-version-check -r "$requirements" -c "$constraints" >&2
    touch "$dir/.complete"
  fi
  echo "$dir"
}
