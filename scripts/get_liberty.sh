#!/usr/bin/env bash
# Obtains the OSU 0.18 um standard-cell library (liberty, LEF, Verilog cell models) from Debian's
# package qflow-tech-osu018 without installing qflow or any dependency: 'apt-get download' fetches
# only the .deb, 'dpkg-deb -x' unpacks it into .tools/osu018/. Prints the path of the .lib file.
# A no-op (apart from printing the path) when the library is already there. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=qflow-tech-osu018
DEST=.tools/osu018
LIB_NAME=osu018_stdcells.lib

find_lib() { find "$DEST" -name "$LIB_NAME" -type f -print -quit 2>/dev/null; }

lib=$(find_lib || true)
if [ -z "$lib" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    # apt's sandbox user must be able to write the download directory, or apt warns.
    chmod 777 "$work"
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    if ! (cd "$work" && apt-get download -qq "$PACKAGE" >/dev/null 2>&1); then
        echo "get_liberty: apt-get download failed; refreshing the package lists" >&2
        $SUDO apt-get update -qq
        (cd "$work" && apt-get download -qq "$PACKAGE" >/dev/null)
    fi
    deb=$(find "$work" -maxdepth 1 -name "${PACKAGE}_*.deb" -print -quit)
    [ -n "$deb" ] || { echo "get_liberty: error: no ${PACKAGE} .deb was downloaded" >&2; exit 1; }
    # Unpack beside the destination and rename into place, so an interrupted run leaves nothing half done.
    mkdir -p "$(dirname "$DEST")"
    staging=$(mktemp -d "$(dirname "$DEST")/.osu018.XXXXXX")
    dpkg-deb -x "$deb" "$staging"
    rm -rf "$DEST"
    mv "$staging" "$DEST"
    chmod 755 "$DEST"
    lib=$(find_lib || true)
    [ -n "$lib" ] || { echo "get_liberty: error: ${LIB_NAME} not found in ${PACKAGE}" >&2; exit 1; }
fi
echo "$(pwd)/$lib"
