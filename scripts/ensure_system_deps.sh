#!/usr/bin/env bash
# Check the Debian/Ubuntu packages that pip cannot provide: venv support for the
# chosen Python and the system libraries Qt's platform plugins load at run time.
#
#   scripts/ensure_system_deps.sh offscreen|window|test PYTHON
#
# offscreen: headless Qt (export, benchmarks); window: a real window (make run);
# test: both, plus an X server and a key sender, for the test suite
# (tests/qt/test_real_window.py starts the app in a real X window under Xvfb and
# presses keys in it with xdotool), and two SVG renderers (tests/export/
# test_svg_engines.py checks that Chromium and librsvg draw an SVG still as its PNG).
#
# As root, missing packages are installed with apt-get; otherwise the one
# `sudo apt-get install ...` line that fixes everything is printed and we exit 1.
set -euo pipefail

mode=${1:?usage: $0 offscreen|window|test PYTHON}
python=${2:?usage: $0 offscreen|window|test PYTHON}

# What the offscreen platform (tests, headless export) links against.
offscreen_pkgs="libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0"
# What the xcb platform plugin (a real window on X11 / XWayland) adds.
window_pkgs="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0"
# What the test suite adds to run the app in a real X window with no desktop:
# a virtual X server (xauth: for xvfb-run) and real key events sent through it.
test_pkgs="xvfb xauth xdotool"
# What the test suite adds to rasterise SVG stills as a browser and as slide
# software do: headless Chromium and librsvg's rsvg-convert (about 117 MB to
# download on Debian 12, 420 MB installed, most of it Chromium).
svg_pkgs="chromium librsvg2-bin"
# Ubuntu has no chromium .deb (it is a snap there): a package of this list that
# the distribution does not ship is left out with a note, and the tests that
# need it skip, saying so.
unpackaged_ok="chromium"

say() { echo "ensure_system_deps: $*" >&2; }

if ! command -v "$python" >/dev/null 2>&1; then
    say "Python interpreter '$python' not found; install Python 3.11+ or set PYTHON=..."
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    say "'$python' is not Python 3.11+, which Attention Explainer needs; set PYTHON=python3.12 or similar"
    exit 1
fi

case $mode in
    offscreen) wanted=$offscreen_pkgs ;;
    window) wanted="$offscreen_pkgs $window_pkgs" ;;
    test) wanted="$offscreen_pkgs $window_pkgs $test_pkgs $svg_pkgs" ;;
    *) say "unknown mode '$mode' (expected offscreen, window or test)"; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: cannot check Qt's system libraries; continuing (install your distribution's equivalents of: $wanted)"
    exit 0
fi

installed() {
    # Ubuntu 24.04 renamed some libraries with a t64 suffix (libglib2.0-0t64) and
    # dpkg-query does not resolve the old name, so accept either.
    local pkg
    for pkg in "$1" "$1t64"; do
        if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]]; then
            return 0
        fi
    done
    return 1
}

missing=()
# Debian splits venv/ensurepip out of the interpreter; its own error names the
# versioned package (python3.11-venv), which is also right for python3.12 etc.
if ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
    missing+=("$("$python" -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])')")
fi
for pkg in $wanted; do
    installed "$pkg" || missing+=("$pkg")
done

packaged() {
    # Not `| grep -q`: grep's early exit would fail apt-cache with SIGPIPE under pipefail.
    local policy
    policy=$(apt-cache policy "$1" 2>/dev/null)
    [[ $policy == *"Candidate: "[^\(]* ]]
}

# Leave out what this distribution does not package and need not have (see
# unpackaged_ok). Only with package lists to ask: a fresh container has none
# until apt-get update, and then nothing would look packaged.
drop_unpackaged() {
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 0
    local pkg kept=()
    for pkg in "${missing[@]}"; do
        if [[ " $unpackaged_ok " == *" $pkg "* ]] && ! packaged "$pkg"; then
            say "note: this system has no '$pkg' package; the tests that need it will skip"
        else
            kept+=("$pkg")
        fi
    done
    missing=(${kept[@]+"${kept[@]}"})
}

drop_unpackaged
if ((${#missing[@]})) && [[ $(id -u) == 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    drop_unpackaged
fi

if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]]; then
        say "installing ${missing[*]}"
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        say "missing system packages; run this, then retry:"
        echo "sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
fi

# Japanese and Chinese token labels need a CJK font; everything else works without one.
if ! installed fonts-noto-cjk; then
    say "hint: for CJK token labels, install fonts-noto-cjk (optional)"
fi
