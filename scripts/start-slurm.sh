#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine for the slurm backend's tests and for trying it
# out (docs/slurm.md): munged as user munge, slurmctld and slurmd as root, with a generated
# slurm.conf. Idempotent: daemons already running are kept. Needs root and Debian's slurm-wlm and
# munge. Prints the slurm.conf path (export it as SLURM_CONF for sbatch, squeue and the worker).
set -euo pipefail
dir="${AA_SLURM_DIR:-/tmp/aa-slurm}"
for bin in munged slurmctld slurmd sbatch; do
  command -v "$bin" >/dev/null || PATH="$PATH:/usr/sbin" command -v "$bin" >/dev/null || {
    echo "start-slurm: $bin not found; install Debian's slurm-wlm and munge (apt-get install slurm-wlm munge)" >&2
    exit 1
  }
done
export PATH="$PATH:/usr/sbin"
mkdir -p "$dir"/{state,spool,log}
conf="$dir/slurm.conf"
host=$(hostname -s)
memory_mib=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024))
# proctrack/linuxproc and task/none work without cgroup setup; memory is enforced by accounting
# (jobacct_gather polls each second and kills a job over its --mem: OverMemoryKill).
cat >"$conf.new" <<CONF
ClusterName=aa
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# A job that asks for no memory gets this much per CPU, not the whole node (which would run one job at a time).
DefMemPerCPU=512
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=1
JobAcctGatherParams=OverMemoryKill
AccountingStorageType=accounting_storage/none
MinJobAge=3600
ReturnToService=2
SchedulerParameters=sched_interval=1
KillWait=2
NodeName=$host CPUs=$(nproc) RealMemory=$memory_mib State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
changed=true
cmp -s "$conf.new" "$conf" && changed=false
mv "$conf.new" "$conf"
export SLURM_CONF="$conf"

mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
pgrep -x munged >/dev/null || runuser -u munge -- munged
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
# Daemons that were running already read a changed configuration now.
if $changed; then scontrol reconfigure >/dev/null 2>&1 || true; fi
for _ in $(seq 1 100); do
  if sinfo --noheader --format=%T 2>/dev/null | grep -qE 'idle|mix|alloc'; then
    echo "$conf"
    exit 0
  fi
  sleep 0.2
done
echo "start-slurm: the node did not become ready; see $dir/log" >&2
exit 1
