#!/bin/sh
# A short human summary of an output tree, for `make demo`.
dir=${1:?usage: summary.sh OUTPUT_DIR}
echo "== what was emitted into $dir =="
for f in "$dir"/*.yaml; do
	name=$(basename "$f")
	[ "$name" = kustomization.yaml ] && continue
	count=$(grep -c '^kind: NetworkPolicy' "$f")
	namespaces=$(grep '^  namespace: ' "$f" | sort -u | awk '{print $2}' | tr '\n' ' ')
	printf '  %-40s %2d NetworkPolicies in: %s\n' "$name" "$count" "$namespaces"
done
echo "  kustomization.yaml lists $(grep -c '^- ' "$dir/kustomization.yaml") files"
