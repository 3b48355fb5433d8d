#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run them.
#   scripts/test.sh [pytest args]
# Debian packages: Chromium (browser tests), LibreOffice Writer, Noto CJK fonts and
# poppler (Word handouts rendered to PDF and read back), npm (GIFT files read back
# by gift-pegjs, which the GIFT tests install into .venv/node), nginx (the school
# server's HTTPS proxy, run from deploy/nginx.conf). Python packages: the
# project with its test extras (the official anki package, Playwright, psycopg, ...)
# in .venv. Real parts the machine lacks make tests skip with the reason, or fail
# when QUIZGEN_REQUIRE_ALL=1.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || need+=(npm)  # gift-pegjs, an independent GIFT parser
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)  # deploy/nginx.conf in front of a school server
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

exec .venv/bin/python -m pytest "$@"
