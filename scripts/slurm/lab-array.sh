#!/usr/bin/env bash
# Runs a Disco Lab lab as a Slurm array job, one shard per array task, then merges the shards.
#
#   sbatch --array=1-16 scripts/slurm/lab-array.sh figure5          # the shards (16 tasks)
#   sbatch --dependency=afterok:<array job id> --export=ALL,MERGE=1 scripts/slurm/lab-array.sh figure5
#
# Each task runs every 16th point of the lab from its task id (--shard K/N) and writes
# shards/<lab>-K-of-N.json; the merge step joins them and prints the figure and the checks
# (exit status 0 when every check passes). Run it from a checkout with `npm ci && npm run build`
# done once on the shared file system. Tested locally by emulating the array (docs/labs.md).
#SBATCH --job-name=disco-lab
#SBATCH --cpus-per-task=2
#SBATCH --time=00:30:00
#SBATCH --output=shards/%x-%A_%a.log
set -euo pipefail
LAB="${1:?usage: lab-array.sh LAB}"
mkdir -p shards
if [[ "${MERGE:-}" == 1 ]]; then
  exec node bin/disco-lab.mjs lab merge shards/"$LAB"-*-of-*.json --json "shards/$LAB-result.json"
fi
K="${SLURM_ARRAY_TASK_ID:?run under sbatch --array=1-N (or set SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)}"
N="${SLURM_ARRAY_TASK_COUNT:?}"
exec node bin/disco-lab.mjs lab "$LAB" --jobs "${SLURM_CPUS_PER_TASK:-1}" --no-cache \
  --shard "$K/$N" --json "shards/$LAB-$K-of-$N.json"
