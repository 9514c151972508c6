#!/usr/bin/env bash
# `npm run setup`: everything the tests need on a fresh Debian machine, without root (QA-1, CI-1).
#
#   1. npm ci (the exact dependency tree of package-lock.json, including Node 22 for the npm scripts);
#   2. the real tools the tests drive, when the machine does not already run them: promtool (Debian's
#      `prometheus`), amtool and alertmanager (`prometheus-alertmanager`), redis-server and redis-cli
#      (`redis-server`, `redis-tools`), openssl and, only when no PostgreSQL server is installed, `postgresql-15`.
#      They are fetched with `apt-get download` and unpacked with `dpkg -x` into .cache/tools/ inside the
#      project, with the shared libraries they need that the machine lacks (found with `apt-cache depends`).
#      Each program gets a small wrapper in .cache/tools/bin/ that sets LD_LIBRARY_PATH to the unpacked
#      libraries; tests/support/tools.ts looks there first, then on PATH.
#
# apt-get download needs package lists. When the machine has none (`apt-get update` never ran), the script
# fetches its own lists into .cache/tools/apt/ (no root needed) and, as root, may refresh the system's.
# Set BOOKBUDDY_SKIP_NPM_CI=1 to skip step 1 (CI runs npm ci itself once), BOOKBUDDY_TOOLS_REFRESH=1 to
# unpack again although the cache is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.cache/tools
BIN=$CACHE/bin
PKGROOT=$CACHE/root
mkdir -p "$BIN" "$PKGROOT" "$CACHE/debs"

say() { printf '== %s\n' "$*"; }

if [ "${BOOKBUDDY_SKIP_NPM_CI:-}" != "1" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# A tool counts as present when it runs, not when a file of its name exists.
runs() { "$@" >/dev/null 2>&1; }

# The programs the tests drive: name, Debian package, a command proving it runs.
declare -a wanted=()
need() { # need <package> <program>...
  local pkg=$1; shift
  local p missing=0
  for p in "$@"; do
    if [ -x "$BIN/$p" ] && [ -z "${BOOKBUDDY_TOOLS_REFRESH:-}" ] && runs "$BIN/$p" --version; then continue; fi
    if runs "$p" --version; then continue; fi
    missing=1
  done
  [ $missing -eq 1 ] && wanted+=("$pkg:$*")
  return 0
}
need prometheus promtool
need prometheus-alertmanager amtool prometheus-alertmanager
# Debian's redis-server ships /usr/bin/redis-server as a link to redis-check-rdb, which redis-tools holds.
need redis-server+redis-tools redis-server
need redis-tools redis-cli
# openssl makes the throw-away TLS certificates of the Redis tests; it answers `version`, not `--version`.
if ! runs openssl version && ! { [ -x "$BIN/openssl" ] && runs "$BIN/openssl" version; }; then wanted+=("openssl:openssl"); fi
pg_present() {
  [ -n "${PG_BIN_DIR:-}" ] && [ -x "$PG_BIN_DIR/initdb" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && return 0
  command -v initdb >/dev/null 2>&1 && return 0
  [ -x "$CACHE/postgresql/bin/initdb" ]
}
pg_present || wanted+=("postgresql-15:postgresql")

if [ ${#wanted[@]} -eq 0 ]; then
  say "tools: promtool, amtool, alertmanager, redis-server, redis-cli, openssl and PostgreSQL all run"
  exit 0
fi
say "fetching into .cache/tools: $(printf '%s\n' "${wanted[@]%%:*}" | tr '+' '\n' | sort -u | paste -sd' ')"

# Package lists: the system's when it has them, else our own (no root needed), else refresh as root.
APT_OPTS=()
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    say "no package lists: apt-get update (root)"
    apt-get update -qq || true
  fi
  if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
    say "no package lists: fetching private lists into .cache/tools/apt"
    mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/archives/partial"
    APT_OPTS=(-o "Dir::State::Lists=$CACHE/apt/lists" -o "Dir::Cache=$CACHE/apt" -o "Dir::Cache::archives=$CACHE/apt/archives"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)")
    apt-get "${APT_OPTS[@]}" update -qq || {
      echo "error: could not fetch Debian package lists (no network to the Debian mirror?). Install the packages" >&2
      echo "       ${wanted[*]%%:*} with the system's package manager, or put the programs on PATH." >&2
      exit 1
    }
  fi
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Shared libraries a package needs that the machine does not have: a walk over Depends/PreDepends that follows
# only library packages (lib*, not the data-only libjs-* or Perl modules) and stops at installed ones.
missing_libs() {
  local -a queue=("$1")
  local -A visited=(["$1"]=1)
  while [ ${#queue[@]} -gt 0 ]; do
    local pkg=${queue[0]}
    queue=("${queue[@]:1}")
    local dep
    for dep in $(apt-cache "${APT_OPTS[@]}" depends "$pkg" 2>/dev/null | sed -n 's/^ *|\{0,1\}\(Pre\)\{0,1\}Depends: \([a-z0-9][a-z0-9.+-]*\)$/\2/p'); do
      case "$dep" in lib*) ;; *) continue ;; esac
      case "$dep" in libjs-*|*-perl|*-dev|*-doc) continue ;; esac
      [ -n "${visited[$dep]:-}" ] && continue
      visited[$dep]=1
      installed "$dep" && continue
      echo "$dep"
      queue+=("$dep")
    done
  done
}

declare -A seen=()
debs=()
for entry in "${wanted[@]}"; do
  pkgs=$(echo "${entry%%:*}" | tr '+' ' ')
  for p in $pkgs $(for q in $pkgs; do missing_libs "$q"; done); do
    [ -n "${seen[$p]:-}" ] && continue
    seen[$p]=1
    debs+=("$p")
  done
done
# postgresql-15 brings its client programs and libpq from two more packages.
if [ -n "${seen[postgresql-15]:-}" ]; then
  for p in postgresql-client-15 libpq5; do [ -n "${seen[$p]:-}" ] || debs+=("$p"); done
fi

say "apt-get download ${debs[*]}"
(cd "$CACHE/debs" && rm -f ./*.deb && apt-get "${APT_OPTS[@]}" download "${debs[@]}" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
shopt -s nullglob
files=("$CACHE/debs"/*.deb)
[ ${#files[@]} -gt 0 ] || { echo "error: apt-get download fetched nothing for ${debs[*]}" >&2; exit 1; }
for deb in "${files[@]}"; do dpkg -x "$deb" "$PKGROOT"; done

# Wrappers: each program finds the unpacked libraries first, then the machine's.
LIBS="$PKGROOT/usr/lib/x86_64-linux-gnu:$PKGROOT/lib/x86_64-linux-gnu:$PKGROOT/usr/lib/$(uname -m)-linux-gnu"
wrap() { # wrap <real program> <wrapper path>
  cat >"$2" <<EOF
#!/bin/sh
# Generated by tools/setup.sh: runs $(basename "$1") unpacked from a Debian package into .cache/tools.
LD_LIBRARY_PATH="$LIBS\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$1" "\$@"
EOF
  chmod +x "$2"
}
for entry in "${wanted[@]}"; do
  pkg=${entry%%:*}
  pkg=${pkg%%+*}
  if [ "$pkg" = postgresql-15 ]; then
    pgbin=$(ls -d "$PKGROOT"/usr/lib/postgresql/*/bin | sort -V | tail -1)
    mkdir -p "$CACHE/postgresql/bin"
    for prog in "$pgbin"/*; do wrap "$prog" "$CACHE/postgresql/bin/$(basename "$prog")"; done
    continue
  fi
  for prog in ${entry#*:}; do
    real="$PKGROOT/usr/bin/$prog"
    [ -e "$real" ] || { echo "error: $pkg did not provide /usr/bin/$prog" >&2; exit 1; }
    wrap "$real" "$BIN/$prog"
  done
done
[ -x "$BIN/prometheus-alertmanager" ] && ln -sf prometheus-alertmanager "$BIN/alertmanager"

# Debian builds Alertmanager to read its notification templates (default.tmpl) and web assets from the fixed
# directory /usr/share/prometheus/alertmanager, which only root can create; without the templates every
# configuration fails to load. On a machine without that directory the cache holds a copy of the binary in which
# that path (34 bytes) names a link of the same length under /tmp instead, and the wrapper points the link at the
# unpacked assets before each run. The original binary stays as unpacked.
AM_SYSTEM=/usr/share/prometheus/alertmanager
AM_ASSETS=$PKGROOT$AM_SYSTEM
if [ -x "$BIN/prometheus-alertmanager" ] && [ -f "$AM_ASSETS/default.tmpl" ] && [ ! -f "$AM_SYSTEM/default.tmpl" ]; then
  am_link=/tmp/.bookbuddy-am-$(id -u)
  am_path=$am_link
  while [ ${#am_path} -lt ${#AM_SYSTEM} ]; do am_path=$am_path/; done
  [ ${#am_path} -eq ${#AM_SYSTEM} ] || { echo "error: cannot relocate Alertmanager's assets: $am_link is longer than $AM_SYSTEM" >&2; exit 1; }
  am_real=$PKGROOT/usr/bin/prometheus-alertmanager
  node -e '
    const fs = require("fs");
    const [src, dst, from, to] = process.argv.slice(1);
    const bin = fs.readFileSync(src);
    const needle = Buffer.from(from), repl = Buffer.from(to);
    let count = 0;
    for (let i = bin.indexOf(needle); i !== -1; i = bin.indexOf(needle, i + needle.length)) { repl.copy(bin, i); count++; }
    if (count === 0) { console.error("error: " + src + " does not name " + from + "; cannot relocate its assets"); process.exit(1); }
    fs.writeFileSync(dst, bin, { mode: 0o755 });
    console.log("== Alertmanager assets: " + count + " references to " + from + " now name " + to.replace(/\/+$/, ""));
  ' "$am_real" "$am_real.relocated" "$AM_SYSTEM" "$am_path"
  cat >"$BIN/prometheus-alertmanager" <<EOF
#!/bin/sh
# Generated by tools/setup.sh: runs prometheus-alertmanager unpacked from a Debian package into .cache/tools, with its
# built-in asset directory ($AM_SYSTEM) renamed to the link $am_link, pointed at the unpacked assets.
if [ -e "$am_link" ] && [ ! -L "$am_link" ]; then echo "error: $am_link exists and is not a link; remove it" >&2; exit 1; fi
[ "\$(readlink "$am_link" 2>/dev/null)" = "$AM_ASSETS" ] || ln -sfn "$AM_ASSETS" "$am_link"
LD_LIBRARY_PATH="$LIBS\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$am_real.relocated" "\$@"
EOF
  chmod +x "$BIN/prometheus-alertmanager"
fi

# What is in the cache, with versions (for bug reports).
touch "$CACHE/manifest.txt"
for deb in "${files[@]}"; do dpkg-deb -f "$deb" Package Version | paste -sd' '; done | sort -u - "$CACHE/manifest.txt" 2>/dev/null | sort -u >"$CACHE/manifest.new" && mv "$CACHE/manifest.new" "$CACHE/manifest.txt"
say "tools in .cache/tools: $(ls "$BIN" | paste -sd' ')$([ -x "$CACHE/postgresql/bin/initdb" ] && echo " (PostgreSQL in .cache/tools/postgresql/bin, used through PG_BIN_DIR)")"
