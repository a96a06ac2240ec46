#!/usr/bin/env python3
"""Issue 27, item 1: what decides where the default plan's neighbour knee lands.

Runs one ramp (arguments after -- go to `kdensity ramp`, default: the default plan) and, while it
runs, samples every neighbour entry of every namespace (`ip -n NS -s -j neigh show nud all`
and the root namespace) as fast as that goes (an `ip -n` per namespace: about a second at 200
pods; `ip -all netns exec` hung on namespaces deleted while it ran). Each entry is classified as forced GC sees it
(net/core/neighbour.c, neigh_forced_gc): exempt (PERMANENT / externally learned: not counted
against gc_thresh), removable (refcount 1 and NUD_FAILED, NUD_NOARP, a multicast address, or
updated 5 s ago or more), or pinned (a timer holds it: INCOMPLETE, REACHABLE, DELAY, PROBE; or a
STALE unicast entry updated less than 5 s ago). The refcount is not visible from user space: an
entry a route or a queued packet holds counts as removable here although the kernel skips it.

Prints one line per sample around every table_fulls increase and, per step, the largest pinned
population and what it was made of. Needs root; the ramp's own output goes to OUT/ramp.log.
Usage: scale-tests/bench/neigh-states.py OUT [-- ramp args...]
"""
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter

TIMER_STATES = {"INCOMPLETE", "REACHABLE", "DELAY", "PROBE"}


def table_fulls():
    """The IPv6 table's refused entries, summed over the CPUs."""
    with open("/proc/net/stat/ndisc_cache") as f:
        lines = f.read().split("\n")
    col = lines[0].split().index("table_fulls")
    return sum(int(l.split()[col], 16) for l in lines[1:] if l.strip())


def neighbours(*ip_args):
    """The entries `ip` lists, or none if it fails or hangs (a namespace being deleted)."""
    try:
        r = subprocess.run(["ip", *ip_args, "-s", "-j", "neigh", "show", "nud", "all"],
                           capture_output=True, text=True, timeout=5)
        return json.loads(r.stdout or "[]") if r.returncode == 0 else []
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        return []


def dump():
    """[(netns, entry)] for every named namespace (one `ip -n` each) and the root one."""
    out = [("(root)", e) for e in neighbours()]
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for line in names.split("\n"):
        if line.strip():
            ns = line.split()[0]
            out += [(ns, e) for e in neighbours("-n", ns)]
    return out


def role(ns):
    if ns == "(root)":
        return "machine"
    if re.match(r"kd-\w+-node$", ns):
        return "node"
    if re.match(r"kd-\w+-(fab|tor\d+)$", ns):
        return "emulation"
    if re.match(r"kd-\w+-[ps]\d+$", ns):
        return "pods"
    return "other"


def classify(e):
    state = e.get("state", [])
    if "PERMANENT" in state or "extern_learn" in e.get("flags", []):
        return "exempt"
    multicast = e["dst"].lower().startswith("ff")
    if "FAILED" in state or "NOARP" in state or multicast:
        return "removable"
    if TIMER_STATES & set(state):
        return "pinned"
    if "STALE" in state and e.get("updated", 99) < 5:
        return "pinned"
    return "removable"


def machine():
    """CPU, kernel, load average and process count: the figures' machine."""
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), "?")
    load = open("/proc/loadavg").read().split()
    return (f"machine: {os.cpu_count()} x {cpu}, Linux {os.uname().release},"
            f" load {' '.join(load[:3])}, {load[3].split('/')[1]} processes")


def main():
    print(machine() + " (start)")
    out = sys.argv[1]
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    os.makedirs(out, exist_ok=True)
    log = open(os.path.join(out, "ramp.log"), "w")
    ramp = subprocess.Popen(
        ["./kdensity", "ramp", "--out", os.path.join(out, "report"), "--no-html"] + args,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    os.set_blocking(ramp.stdout.fileno(), False)
    step = "-"
    t0 = time.monotonic()
    fulls0 = table_fulls()
    per_step = {}
    samples = []
    while ramp.poll() is None:
        for line in iter(ramp.stdout.readline, ""):
            log.write(line)
            m = re.search(r"step (\d+): (\d+) pods × \d+ interfaces: (\w+)", line)
            if m:
                step = f"{m.group(1)} {m.group(2)}p {m.group(3)}"
        t = time.monotonic() - t0
        entries = [(ns, e) for ns, e in dump() if ":" in e["dst"]]
        fulls = table_fulls() - fulls0
        kinds = Counter(classify(e) for _, e in entries)
        pinned = Counter(
            (role(ns), "+".join(e.get("state", [])))
            for ns, e in entries if classify(e) == "pinned")
        counted = kinds["pinned"] + kinds["removable"]
        s = dict(t=round(t, 1), step=step, fulls=fulls, counted=counted, pinned=kinds["pinned"],
                 removable=kinds["removable"], exempt=kinds["exempt"],
                 by=dict(pinned.most_common(6)))
        samples.append(s)
        best = per_step.get(step)
        if best is None or s["pinned"] > best["pinned"]:
            per_step[step] = s
        time.sleep(0.3)
    for line in ramp.stdout:
        log.write(line)
    log.close()
    with open(os.path.join(out, "samples.jsonl"), "w") as f:
        for s in samples:
            f.write(json.dumps({**s, "by": {f"{k[0]} {k[1]}": v for k, v in s["by"].items()}})
                    + "\n")
    print("per step, the sample with the most pinned entries (counted = pinned + removable):")
    for step, s in per_step.items():
        by = ", ".join(f"{r} {st} {n}" for (r, st), n in s["by"].items())
        print(f"  {step:<22} t={s['t']:>6}s counted {s['counted']:>5} pinned {s['pinned']:>5}"
              f" removable {s['removable']:>5} table_fulls +{s['fulls']:<6} [{by}]")
    prev = 0
    print("samples where table_fulls rose:")
    for s in samples:
        if s["fulls"] > prev:
            print(f"  t={s['t']:>6}s {s['step']:<22} +{s['fulls'] - prev:<5} counted {s['counted']}"
                  f" pinned {s['pinned']} removable {s['removable']}")
            prev = s["fulls"]
    verdict = subprocess.run(["grep", "-m1", "verdict", os.path.join(out, "ramp.log")],
                             capture_output=True, text=True).stdout.strip()
    print(verdict)
    print(machine() + " (end)")
    return ramp.returncode


if __name__ == "__main__":
    sys.exit(main())
