#!/usr/bin/env bash
# Validates a compiled design's vivado/component.xml against the IEEE 1685-2009 (SPIRIT) schema with
# xmllint, or with the JDK (bench/XsdValidate.java) where xmllint is missing. The schema is not in this
# repository (its licence is not stated); give its index.xsd, e.g. from a checkout of
# github.com/edaa-org/IPXACT-Schema (ieee-1685-2009/index.xsd).
#   bench/ipxact-schema.sh DIR /path/to/ieee-1685-2009/index.xsd
set -euo pipefail
dir=${1:?usage: bench/ipxact-schema.sh DIR XSD}
xsd=${2:?usage: bench/ipxact-schema.sh DIR XSD}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if command -v xmllint >/dev/null; then
  xmllint --noout --schema "$xsd" "$dir/vivado/component.xml"
else
  java "$here/XsdValidate.java" "$xsd" "$dir/vivado/component.xml"
fi
