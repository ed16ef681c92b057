#!/usr/bin/env bash
# Checks the translations, as a TAP test (suite 'data'):
#   - po/POTFILES.in lists only files that exist;
#   - every source file with translatable strings (a .c file in core/, sync-server/,
#     desktop/ or tools/ using _(), N_(), C_(), NC_() or g_d*gettext(); a .ui file with
#     translatable="yes") is listed in po/POTFILES.in, unless po/POTFILES.skip names it;
#   - a POT made fresh from po/POTFILES.in, with the keywords and flags of meson's 'glib'
#     gettext preset (what `meson compile sanmen-pot` runs), extracts without error;
#   - each catalog of po/LINGUAS, merged against that POT, passes `msgfmt --check` and has
#     no fuzzy and no untranslated message.
# The source tree is never written to: the POT, the merged catalogs and the .mo files go to
# the scratch directory.
#
# Usage: tests/check-po.sh SOURCE_DIR [SCRATCH_DIR]
# Without SCRATCH_DIR a temporary directory is made and removed at exit.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 SOURCE_DIR [SCRATCH_DIR]" >&2
  exit 2
fi

srcdir=$(cd "$1" && pwd)
if [[ $# -eq 2 ]]; then
  mkdir -p "$2"
  scratch=$(cd "$2" && pwd)
else
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-po.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
fi

# The statistics of msgfmt are parsed below: keep the tools' messages in English.
export LC_ALL=C
unset LANGUAGE

podir=$srcdir/po
potfiles_in=$podir/POTFILES.in
# The folders whose sources must be listed (DESIGN §1); tests/ is not translated.
source_dirs=(core sync-server desktop tools)

for tool in xgettext msgmerge msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool not found (Debian package gettext)"
    exit 0
  fi
done

# The arguments meson's i18n.gettext(preset: 'glib') gives xgettext (meson 1.0,
# mesonbuild/modules/i18n.py PRESET_ARGS['glib']), plus the -k_ its gettext script adds.
# shellcheck disable=SC2054  # the commas belong to the keyword specifications
xgettext_args=(
  -k_
  --from-code=UTF-8
  --add-comments
  --keyword=_
  --keyword=N_
  --keyword=C_:1c,2
  --keyword=NC_:1c,2
  --keyword=g_dcgettext:2
  --keyword=g_dngettext:2,3
  --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format
  --flag=C_:2:pass-c-format
  --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format
  --flag=g_strdup_printf:1:c-format
  --flag=g_string_printf:2:c-format
  --flag=g_string_append_printf:2:c-format
  --flag=g_error_new:3:c-format
  --flag=g_set_error:4:c-format
  --flag=g_markup_printf_escaped:1:c-format
  --flag=g_log:3:c-format
  --flag=g_print:1:c-format
  --flag=g_printerr:1:c-format
  --flag=g_printf:1:c-format
  --flag=g_fprintf:2:c-format
  --flag=g_sprintf:2:c-format
  --flag=g_snprintf:3:c-format
)

# ---------------------------------------------------------------- helpers

# The entries of a POTFILES-like file: no comments, no blank lines, no [type: …] prefix.
list_entries () {
  [[ -f $1 ]] || return 0
  sed -e 's/#.*$//' -e 's/^[[:space:]]*\(\[[^]]*\][[:space:]]*\)*//' -e 's/[[:space:]]*$//' "$1" |
    grep -v '^$' || true
}

# Prints each line of stdin as a TAP diagnostic.
diag () {
  sed 's/^/# /'
}

n=0
failures=()

ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok () {
  n=$((n + 1))
  echo "not ok $n - $1"
  failures+=("$1")
}

# ---------------------------------------------------------------- the plan

linguas=()
if [[ -f $podir/LINGUAS ]]; then
  read -r -a linguas <<< "$(sed 's/#.*$//' "$podir/LINGUAS" | tr '\n' ' ')"
fi
echo "1..$((3 + ${#linguas[@]}))"

if [[ ! -f $potfiles_in ]]; then
  echo "# po/POTFILES.in does not exist"
fi
mapfile -t listed < <(list_entries "$potfiles_in")
mapfile -t skipped < <(list_entries "$podir/POTFILES.skip")

# ---------------------------------------------------------------- 1. listed files exist

missing_files=()
for f in "${listed[@]}"; do
  [[ -f $srcdir/$f ]] || missing_files+=("$f")
done
if [[ ! -f $potfiles_in ]]; then
  not_ok "po/POTFILES.in exists"
elif [[ ${#missing_files[@]} -eq 0 ]]; then
  ok "po/POTFILES.in lists only files that exist (${#listed[@]} files)"
else
  not_ok "po/POTFILES.in lists ${#missing_files[@]} file(s) that do not exist"
  printf 'listed but missing: %s\n' "${missing_files[@]}" | diag
fi

# ---------------------------------------------------------------- 2. sources are listed

existing_dirs=()
for d in "${source_dirs[@]}"; do
  [[ -d $srcdir/$d ]] && existing_dirs+=("$d")
done

translatable=()
if [[ ${#existing_dirs[@]} -gt 0 ]]; then
  c_pattern='(^|[^[:alnum:]_])((N|C|NC)?_|g_dn?gettext|g_dcgettext|g_dpgettext2)[[:space:]]*\('
  mapfile -t translatable < <(
    cd "$srcdir"
    {
      find "${existing_dirs[@]}" -type f -name '*.c' -exec grep -lE "$c_pattern" {} + || true
      find "${existing_dirs[@]}" -type f -name '*.ui' -exec grep -l 'translatable="yes"' {} + || true
    } | LC_ALL=C sort -u
  )
fi

unlisted=()
for f in "${translatable[@]}"; do
  found=no
  for l in "${listed[@]}" "${skipped[@]}"; do
    if [[ $f == "$l" ]]; then
      found=yes
      break
    fi
  done
  [[ $found == yes ]] || unlisted+=("$f")
done
if [[ ${#unlisted[@]} -eq 0 ]]; then
  ok "every source file with translatable strings is in po/POTFILES.in (${#translatable[@]} files)"
else
  not_ok "${#unlisted[@]} source file(s) with translatable strings are missing from po/POTFILES.in"
  printf 'not in po/POTFILES.in: %s\n' "${unlisted[@]}" | diag
fi

if [[ ${#listed[@]} -gt 0 ]] &&
   ! printf '%s\n' "${listed[@]}" | LC_ALL=C sort -c 2>/dev/null; then
  echo "# note: po/POTFILES.in is not sorted"
fi

# ---------------------------------------------------------------- 3. the POT

pot=$scratch/check-po.pot
rm -f "$pot"
have_pot=no
if [[ ! -f $potfiles_in ]]; then
  not_ok "xgettext: there is no po/POTFILES.in"
elif (cd "$srcdir" && xgettext --package-name=check-po -f "$potfiles_in" -D "$srcdir" \
        -o "$pot" "${xgettext_args[@]}") > "$scratch/xgettext.log" 2>&1; then
  if [[ ! -f $pot ]]; then
    # xgettext writes nothing when there is no string at all.
    printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' > "$pot"
  fi
  have_pot=yes
  n_messages=$(($(grep -c '^msgid ' "$pot") - 1))
  ok "xgettext extracts po/POTFILES.in ($n_messages messages)"
  # Warnings (e.g. a format string cut at a macro xgettext cannot expand) do not fail
  # the test, but are worth reading.
  diag < "$scratch/xgettext.log"
else
  not_ok "xgettext fails on po/POTFILES.in"
  diag < "$scratch/xgettext.log"
fi

# ---------------------------------------------------------------- 4. the catalogs

# The msgids (and the place of their first reference) of a catalog's untranslated or fuzzy
# messages, at most 20.
list_messages () {
  msgattrib "$@" --no-obsolete --no-wrap 2>/dev/null |
    awk '/^#: / { ref = $2; next }
         /^msgid "/ { r = ref; ref = "";
                      if ($0 != "msgid \"\"") print "  " $0 "  (" r ")";
                      else if (r != "") pending = 1;
                      next }
         pending && /^"/ { print "  msgid " $0 " …  (" r ")"; pending = 0 }' |
    head -n 20
}

for lang in "${linguas[@]}"; do
  po=$podir/$lang.po
  merged=$scratch/$lang.po
  if [[ $have_pot != yes ]]; then
    not_ok "$lang: not checked, there is no POT"
    continue
  fi
  if [[ ! -f $po ]]; then
    not_ok "$lang: po/$lang.po does not exist (it is in po/LINGUAS)"
    continue
  fi
  if ! msgmerge --quiet --previous -o "$merged" "$po" "$pot" > "$scratch/$lang.msgmerge.log" 2>&1; then
    not_ok "$lang: msgmerge fails on po/$lang.po"
    diag < "$scratch/$lang.msgmerge.log"
    continue
  fi

  status=0
  msgfmt --check --statistics -o "$scratch/$lang.mo" "$merged" > "$scratch/$lang.msgfmt.log" 2>&1 ||
    status=$?
  stats=$(grep -E 'translated message|fuzzy translation|untranslated message' "$scratch/$lang.msgfmt.log" |
          tail -n 1 || true)
  count () {
    local c
    c=$(grep -oE "[0-9]+ $1" <<< "$stats" | grep -oE '^[0-9]+' || true)
    echo "${c:-0}"
  }
  translated=$(count 'translated message')
  fuzzy=$(count 'fuzzy translation')
  untranslated=$(count 'untranslated message')
  counts="$translated translated, $fuzzy fuzzy, $untranslated untranslated"

  if [[ $status -eq 0 && $fuzzy -eq 0 && $untranslated -eq 0 ]]; then
    ok "$lang: po/$lang.po is complete and valid ($counts)"
    continue
  fi

  reasons=()
  [[ $status -eq 0 ]] || reasons+=("msgfmt --check fails")
  [[ $fuzzy -eq 0 ]] || reasons+=("$fuzzy fuzzy")
  [[ $untranslated -eq 0 ]] || reasons+=("$untranslated untranslated")
  why=${reasons[0]}
  for r in "${reasons[@]:1}"; do
    why+=", $r"
  done
  not_ok "$lang: po/$lang.po is not complete and valid: $why ($counts)"
  if [[ $status -ne 0 ]]; then
    # The catalog itself gives line numbers a translator can use; the merged one is only
    # looked at when the error comes from the merge.
    if (cd "$srcdir" && msgfmt --check -o /dev/null "po/$lang.po") > "$scratch/$lang.check.log" 2>&1; then
      cp "$scratch/$lang.msgfmt.log" "$scratch/$lang.check.log"
    fi
    grep -vE 'translated message|fuzzy translation|untranslated message' "$scratch/$lang.check.log" |
      head -n 40 | diag || true
  fi
  if [[ $untranslated -gt 0 ]]; then
    echo "untranslated (merged against a fresh POT):" | diag
    list_messages --untranslated "$merged" | diag
  fi
  if [[ $fuzzy -gt 0 ]]; then
    echo "fuzzy:" | diag
    list_messages --only-fuzzy "$merged" | diag
  fi
done

# ---------------------------------------------------------------- summary

if [[ ${#failures[@]} -gt 0 ]]; then
  {
    echo "check-po: ${#failures[@]} check(s) failed:"
    printf '  %s\n' "${failures[@]}"
    echo "Regenerate the POT (meson compile -C BUILDDIR sanmen-pot), msgmerge the catalogs,"
    echo "translate what is new and clear the fuzzy flags."
  } >&2
  exit 1
fi
exit 0
