#!/usr/bin/env bash
# Inventory of a simulated vCenter with 1,000 hosts and 10,000 VMs, in one run: PatchKit's ESX adapter, pyvmomi
# (Debian's python3-pyvmomi) and a small govmomi program (generated into the fixture cache at run time and built from
# Debian's govmomi source, GO111MODULE=off), each retrieving the same properties of every host and VM through a
# ContainerView with RetrievePropertiesEx/ContinueRetrievePropertiesEx (pages of 1,000) from the same simulator.
# Prints each tool's median of N iterations after one warm-up, allocations, and the ratios; the load average beside.
#
#   benchmarks/esx-inventory.sh [ITERATIONS]      (default 5; root or sudo for apt-get when packages are missing)
#
# The simulator takes about a minute to build the 11,000 objects and about 0.5 GB of memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5}
# The properties PatchKit's inventory asks for (src/PatchKit.Hosts.Esx/EsxInventory.cs: HostPaths, VmPaths, ClusterPaths);
# every tool below retrieves exactly these.
export PK_HOST_PATHS="name,parent,summary.config.product.version,summary.config.product.build,runtime.inMaintenanceMode,runtime.connectionState,runtime.bootTime,summary.hardware.memorySize,configManager.patchManager,summary.hardware.cpuMhz,summary.hardware.numCpuCores"
export PK_VM_PATHS="name,parent,resourcePool,runtime.host,runtime.powerState,summary.config.memorySizeMB,summary.config.guestId,config.annotation,config.template,snapshot,summary.config.numCpu,config.cpuAllocation.reservation,config.memoryAllocation.reservation,summary.quickStats.consumedOverheadMemory"
export PK_CLUSTER_PATHS="name,configurationEx"
cache="${PATCHKIT_FIXTURE_CACHE:-$HOME/.cache/patchkit-fixtures}"
bin="$(tests/fixtures/vcsim/setup.sh | tail -n1)"
if ! /usr/bin/python3 -c 'import pyVmomi' 2>/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-pyvmomi >&2
fi

# The govmomi program (ours, written here at run time; it links Debian's govmomi source).
gobuild="$cache/esx-bench/build"
mkdir -p "$gobuild"
cat >"$gobuild/main.go" <<'GO'
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

var hostPaths = strings.Split(os.Getenv("PK_HOST_PATHS"), ",")
var vmPaths = strings.Split(os.Getenv("PK_VM_PATHS"), ",")
var clusterPaths = strings.Split(os.Getenv("PK_CLUSTER_PATHS"), ",")

func inventory(ctx context.Context, c *govmomi.Client) (int, int) {
	v, err := view.NewManager(c.Client).CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"HostSystem", "VirtualMachine", "ComputeResource", "Datacenter"}, true)
	if err != nil {
		panic(err)
	}
	defer v.Destroy(ctx)
	ts := &types.TraversalSpec{Type: "ContainerView", Path: "view", Skip: types.NewBool(false)}
	ts.Name = "view"
	spec := types.PropertyFilterSpec{
		ObjectSet: []types.ObjectSpec{{Obj: v.Reference(), Skip: types.NewBool(true), SelectSet: []types.BaseSelectionSpec{ts}}},
		PropSet: []types.PropertySpec{{Type: "HostSystem", PathSet: hostPaths}, {Type: "VirtualMachine", PathSet: vmPaths},
			{Type: "ComputeResource", PathSet: []string{"name"}}, {Type: "ClusterComputeResource", PathSet: clusterPaths}, {Type: "Datacenter", PathSet: []string{"name"}}},
	}
	pc := c.ServiceContent.PropertyCollector
	res, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{This: pc, SpecSet: []types.PropertyFilterSpec{spec}, Options: types.RetrieveOptions{MaxObjects: 1000}})
	if err != nil {
		panic(err)
	}
	hosts, vms := 0, 0
	page := res.Returnval
	for page != nil {
		for _, oc := range page.Objects {
			o, err := mo.ObjectContentToType(oc)
			if err != nil {
				panic(err)
			}
			switch o.(type) {
			case mo.HostSystem:
				hosts++
			case mo.VirtualMachine:
				vms++
			}
		}
		if page.Token == "" {
			break
		}
		r, err := methods.ContinueRetrievePropertiesEx(ctx, c, &types.ContinueRetrievePropertiesEx{This: pc, Token: page.Token})
		if err != nil {
			panic(err)
		}
		page = &r.Returnval
	}
	return hosts, vms
}

func main() {
	u, _ := url.Parse(os.Args[1])
	u.User = url.UserPassword(os.Args[2], os.Args[3])
	n, _ := strconv.Atoi(os.Args[4])
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		panic(err)
	}
	inventory(ctx, c)
	var times []float64
	var allocs []float64
	var cpus []float64
	cpu := func() float64 {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
	}
	h, v := 0, 0
	for i := 0; i < n; i++ {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		t := time.Now()
		c0 := cpu()
		h, v = inventory(ctx, c)
		d := time.Since(t)
		cpus = append(cpus, cpu()-c0)
		runtime.ReadMemStats(&m1)
		times = append(times, float64(d.Microseconds())/1000)
		allocs = append(allocs, float64(m1.TotalAlloc-m0.TotalAlloc)/1048576)
		fmt.Printf("govmomi iteration %d: %.0f ms, %.0f ms CPU, %.1f MB allocated, %d hosts, %d vms\n", i+1, times[i], cpus[i], allocs[i], h, v)
	}
	sort.Float64s(times)
	sort.Float64s(allocs)
	sort.Float64s(cpus)
	fmt.Printf("RESULT govmomi median_ms=%.1f cpu_ms=%.1f alloc_mb=%.1f hosts=%d vms=%d\n", times[n/2], cpus[n/2], allocs[n/2], h, v)
}
GO
( cd "$gobuild" && GO111MODULE=off GOFLAGS= GOPATH="$cache/vcsim/gopath:/usr/share/gocode" GOCACHE="$cache/vcsim/gocache" CGO_ENABLED=0 \
    go build -o "$cache/esx-bench/govmomi-inventory" main.go )

run="$(mktemp -d /tmp/patchkit-esx-bench.XXXXXX)"
trap 'tests/fixtures/vcsim/stop.sh "$run" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
echo "# starting the simulator: 1 datacenter, 50 clusters x 20 hosts, 200 VMs per cluster (about a minute)" >&2
ready="$(PATCHKIT_VCSIM_BIN="$bin" PATCHKIT_VCSIM_START_TIMEOUT=600 tests/fixtures/vcsim/start.sh "$run" -mode vcenter -dc 1 -cluster 50 -host 20 \
  -standalone-host 0 -vm 200 -no-tls -username root -password bench)"
url="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$ready")"
echo "# load before: $(uptime)"

nice dotnet build src/PatchKit.Benchmarks -c Release -v q -nologo >/dev/null
out="$run/results.txt"
dotnet src/PatchKit.Benchmarks/bin/Release/net10.0/PatchKit.Benchmarks.dll esx-inventory "$url" root bench "$N" | tee -a "$out"
"$cache/esx-bench/govmomi-inventory" "$url" root bench "$N" | tee -a "$out"
/usr/bin/python3 - "$url" root bench "$N" <<'PY' | tee -a "$out"
import sys, time, tracemalloc
from urllib.parse import urlparse
from pyVmomi import vim, vmodl, SoapStubAdapter
u = urlparse(sys.argv[1]); n = int(sys.argv[4])
# plain http: a negative port selects http in pyvmomi's stub (SmartConnect passes an SSL context http.client refuses)
stub = SoapStubAdapter(host=u.hostname, port=-u.port, path="/sdk", version="vim.version.version10")
si = vim.ServiceInstance("ServiceInstance", stub)
content = si.RetrieveContent()
content.sessionManager.Login(sys.argv[2], sys.argv[3])
PC = vmodl.query.PropertyCollector
import os
host_paths = os.environ["PK_HOST_PATHS"].split(",")
vm_paths = os.environ["PK_VM_PATHS"].split(",")
cluster_paths = os.environ["PK_CLUSTER_PATHS"].split(",")
def inventory():
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem, vim.VirtualMachine, vim.ComputeResource, vim.Datacenter], True)
    try:
        ts = PC.TraversalSpec(name="view", type=vim.view.ContainerView, path="view", skip=False)
        spec = PC.FilterSpec(objectSet=[PC.ObjectSpec(obj=view, skip=True, selectSet=[ts])], propSet=[
            PC.PropertySpec(type=vim.HostSystem, pathSet=host_paths), PC.PropertySpec(type=vim.VirtualMachine, pathSet=vm_paths),
            PC.PropertySpec(type=vim.ComputeResource, pathSet=["name"]), PC.PropertySpec(type=vim.ClusterComputeResource, pathSet=cluster_paths),
            PC.PropertySpec(type=vim.Datacenter, pathSet=["name"])])
        pc = content.propertyCollector
        res = pc.RetrievePropertiesEx([spec], PC.RetrieveOptions(maxObjects=1000))
        hosts = vms = 0
        while res is not None:
            for oc in res.objects:
                props = {p.name: p.val for p in oc.propSet}
                if isinstance(oc.obj, vim.HostSystem): hosts += 1
                elif isinstance(oc.obj, vim.VirtualMachine): vms += 1
            res = pc.ContinueRetrievePropertiesEx(res.token) if res.token else None
        return hosts, vms
    finally:
        view.Destroy()
inventory()
times = []; cpus = []
for i in range(n):
    t = time.perf_counter(); c = time.process_time(); h, v = inventory(); d = (time.perf_counter() - t) * 1000
    cpus.append((time.process_time() - c) * 1000)
    times.append(d)
    print(f"pyvmomi iteration {i + 1}: {d:.0f} ms, {cpus[-1]:.0f} ms CPU, {h} hosts, {v} vms")
times.sort(); cpus.sort()
print(f"RESULT pyvmomi median_ms={times[n // 2]:.1f} cpu_ms={cpus[n // 2]:.1f} alloc_mb=n/a hosts={h} vms={v}")
content.sessionManager.Logout()
PY
# The floor: the simulator's own time for the same SOAP calls (CreateContainerView, RetrievePropertiesEx with
# maxObjects 1000 and the same property specs, DestroyView), sent by curl with the response bytes thrown away: no
# client parsing at all. What a client spends above this is its own cost.
soap() { # METHOD-BODY -> response on stdout
  curl -sS -b "$run/cookies" -c "$run/cookies" -H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: "urn:vim25/7.0"' \
    --data-binary "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>$1</soapenv:Body></soapenv:Envelope>" "$url"
}
paths() { local IFS=,; for p in $1; do printf '<pathSet>%s</pathSet>' "$p"; done; }
soap '<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>root</userName><password>bench</password></Login>' >/dev/null
root="$(soap '<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>' | sed -n 's/.*<rootFolder type="Folder">\([^<]*\)<.*/\1/p')"
specs="<propSet><type>HostSystem</type>$(paths "$PK_HOST_PATHS")</propSet><propSet><type>VirtualMachine</type>$(paths "$PK_VM_PATHS")</propSet><propSet><type>ComputeResource</type><pathSet>name</pathSet></propSet><propSet><type>ClusterComputeResource</type>$(paths "$PK_CLUSTER_PATHS")</propSet><propSet><type>Datacenter</type><pathSet>name</pathSet></propSet>"
floor_once() {
  local t0 t1 view bytes
  t0=$(date +%s%N)
  view="$(soap "<CreateContainerView xmlns=\"urn:vim25\"><_this type=\"ViewManager\">ViewManager</_this><container type=\"Folder\">$root</container><type>HostSystem</type><type>VirtualMachine</type><type>ComputeResource</type><type>Datacenter</type><recursive>true</recursive></CreateContainerView>" | sed -n 's/.*<returnval type="ContainerView">\([^<]*\)<.*/\1/p')"
  bytes=$(soap "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">propertyCollector</_this><specSet>$specs<objectSet><obj type=\"ContainerView\">$view</obj><skip>true</skip><selectSet xsi:type=\"TraversalSpec\"><name>view</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet><options><maxObjects>1000</maxObjects></options></RetrievePropertiesEx>" | wc -c)
  soap "<DestroyView xmlns=\"urn:vim25\"><_this type=\"ContainerView\">$view</_this></DestroyView>" >/dev/null
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $bytes"
}
floor_once >/dev/null
ft=()
for i in $(seq 1 "$N"); do
  read -r ms bytes < <(floor_once)
  ft+=("$ms")
  echo "floor (curl, no parsing) iteration $i: $ms ms, $bytes bytes of response" | tee -a "$out"
done
fmed="$(printf '%s\n' "${ft[@]}" | sort -n | sed -n "$(( N / 2 + 1 ))p")"
echo "RESULT floor median_ms=$fmed cpu_ms=0 alloc_mb=n/a" | tee -a "$out"
echo "# load after: $(uptime)"
/usr/bin/python3 - "$out" <<'PY'
import sys
r = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        parts = line.split()
        r[parts[1]] = dict(p.split("=", 1) for p in parts[2:])
pk = float(r["patchkit"]["median_ms"]); pkc = float(r["patchkit"]["cpu_ms"])
for tool in ("govmomi", "pyvmomi"):
    t = float(r[tool]["median_ms"]); c = float(r[tool]["cpu_ms"])
    print(f"{tool} / patchkit wall time: {t / pk:.2f}x  ({tool} {t:.0f} ms, patchkit {pk:.0f} ms); client CPU: {c / pkc:.2f}x  ({tool} {c:.0f} ms, patchkit {pkc:.0f} ms)")
fl = float(r["floor"]["median_ms"])
print(f"floor (the simulator's own time for the same calls, curl without parsing): {fl:.0f} ms; over the floor: patchkit {pk - fl:.0f} ms ({pk / fl:.2f}x the floor), "
      + ", ".join(f"{t} {float(r[t]['median_ms']) - fl:.0f} ms ({float(r[t]['median_ms']) / fl:.2f}x)" for t in ("govmomi", "pyvmomi")))
print(f"pyvmomi / patchkit time above the floor: {(float(r['pyvmomi']['median_ms']) - fl) / max(pk - fl, 1):.2f}x")
print(f"allocations per inventory: patchkit {r['patchkit']['alloc_mb']} MB, govmomi {r['govmomi']['alloc_mb']} MB")
PY
