#!/usr/bin/env bash
# Refresh the open standards' schemas in opendata/schemas/ from their public repositories, at the commits pinned below.
# Run it by hand when a pin changes and commit the result: the tests validate against these copies, never the network.
set -euo pipefail
cd "$(dirname "$0")/.."

# schemaorg/schemaorg: the JSON-LD context of schema.org release $SCHEMAORG_RELEASE (data/releases/...).
SCHEMAORG_COMMIT=cc71c8e064859e912aac8b11ec06e6bc53255b6a
SCHEMAORG_RELEASE=30.0
# MurmurationsNetwork/MurmurationsLibrary: organizations_schema-v1.0.0 and the field schemas it references.
MURMURATIONS_COMMIT=65eda482593c94beebd6d3c5e79f16af6a44a8f8
# openreferral/specification, branch 3.0 (HSDS 3.0): the OpenAPI file, the table schemas and the compiled list schemas.
HSDS_COMMIT=279fd2eb3552c349bf698c07c00cc25f5fc8249b

raw() {  # raw OWNER/REPO COMMIT PATH DEST
  mkdir -p "$(dirname "$4")"
  curl --fail --silent --show-error --location "https://raw.githubusercontent.com/$1/$2/$3" -o "$4"
}

out=opendata/schemas
rm -rf "$out/schemaorg" "$out/murmurations" "$out/hsds"

raw schemaorg/schemaorg "$SCHEMAORG_COMMIT" "data/releases/$SCHEMAORG_RELEASE/schemaorgcontext.jsonld" \
  "$out/schemaorg/schemaorgcontext.jsonld"
raw schemaorg/schemaorg "$SCHEMAORG_COMMIT" LICENSE "$out/schemaorg/LICENSE"

raw MurmurationsNetwork/MurmurationsLibrary "$MURMURATIONS_COMMIT" schemas/organizations_schema-v1.0.0.json \
  "$out/murmurations/schemas/organizations_schema-v1.0.0.json"
raw MurmurationsNetwork/MurmurationsLibrary "$MURMURATIONS_COMMIT" LICENSE "$out/murmurations/LICENSE"
# The fields it names ("../fields/x.json"), and the fields those name in turn (geolocation: latitude, longitude).
fields=$(grep -o '\.\./fields/[a-z_0-9]*\.json' "$out/murmurations/schemas/organizations_schema-v1.0.0.json" | sort -u)
for field in $fields latitude.json longitude.json; do
  name=$(basename "$field")
  raw MurmurationsNetwork/MurmurationsLibrary "$MURMURATIONS_COMMIT" "fields/$name" "$out/murmurations/fields/$name"
done

for name in openapi accessibility address attribute contact cost_option funding language location \
  meta_table_description metadata organization organization_identifier phone program required_document \
  schedule service service_area service_at_location taxonomy taxonomy_term; do
  raw openreferral/specification "$HSDS_COMMIT" "schema/$name.json" "$out/hsds/$name.json"
done
# Only the list schemas: the compiled details (megabytes) are the table schemas with their $refs inlined,
# and the tests resolve those $refs offline instead.
for name in organization_list service_list service_at_location_list; do
  raw openreferral/specification "$HSDS_COMMIT" "schema/compiled/$name.json" "$out/hsds/compiled/$name.json"
done
raw openreferral/specification "$HSDS_COMMIT" LICENSE "$out/hsds/LICENSE"

echo "opendata/schemas refreshed"
