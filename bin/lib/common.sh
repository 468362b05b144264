# Shared by bin/shoplake and bin/test: install what is missing (idempotent), build if stale.
SHOPLAKE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '[shoplake] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_install() {
  log "installing Debian packages: $*"
  if [ -z "${SHOPLAKE_APT_UPDATED:-}" ]; then as_root apt-get update -qq; SHOPLAKE_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Java 17+, Maven, PostgreSQL server binaries, redis-server and prometheus (tests scrape a run with it).
ensure_prerequisites() {
  local missing=()
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v runuser >/dev/null || missing+=(util-linux)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  # The Debian packages start their own servers on the default ports; Shoplake runs private ones.
  if [ -n "${SHOPLAKE_APT_UPDATED:-}" ] && command -v systemctl >/dev/null; then
    as_root systemctl disable --now redis-server prometheus >/dev/null 2>&1 || true
  fi
}

# Rebuild when any source, pom or conf file is newer than the last build.
ensure_built() {
  local stamp="$SHOPLAKE_ROOT/pipelines/target/.shoplake-built"
  if [ -f "$stamp" ] && [ -z "$(find "$SHOPLAKE_ROOT" -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.conf' -o -name '*.properties' \) -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  log "building (mvn package, tests skipped)..."
  (cd "$SHOPLAKE_ROOT" && mvn -B -q -DskipTests package) >&2
  touch "$stamp"
}

# Personal data in silver is pseudonymised with a secret key taken from the environment. For
# local use, one random key per user is kept outside the repository, readable by that user only.
ensure_pii_key() {
  if [ -z "${SHOPLAKE_PII_KEY:-}" ]; then
    local file="$HOME/.shoplake/pii.key"
    if [ ! -s "$file" ]; then
      mkdir -p "$HOME/.shoplake"
      (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
    fi
    SHOPLAKE_PII_KEY="$(cat "$file")"
    export SHOPLAKE_PII_KEY
  fi
}

# The tools module depends on the pipelines and the models, and adds the local tools to their
# commands, so its resolved classpath is the launcher's.
launcher_classpath() {
  local t="$SHOPLAKE_ROOT/tools/target"
  echo "$t/classes:$(cat "$t/classpath.txt"):$(cat "$t/classpath-provided.txt")"
}
