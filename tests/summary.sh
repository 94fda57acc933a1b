#!/bin/sh
# A short human summary of an output tree, for `make demo`.
dir=${1:?usage: summary.sh OUTPUT_DIR}
echo "== what was emitted into $dir =="
for f in "$dir"/*.yaml; do
	name=$(basename "$f")
	[ "$name" = kustomization.yaml ] && continue
	count=$(grep -c '^kind: NetworkPolicy' "$f")
	namespaces=$(grep '^  namespace: ' "$f" | sort -u | awk '{print $2}' | tr '\n' ' ')
	[ "$count" -eq 1 ] && policies=NetworkPolicy || policies=NetworkPolicies
	printf '  %-40s %2d %-15s in: %s\n' "$name" "$count" "$policies" "$namespaces"
done
echo "  kustomization.yaml lists $(grep -c '^- ' "$dir/kustomization.yaml") files"
