#!/usr/bin/env bash
# Issue: creating 2,000 pods at QPS 50 achieves ≥ 95% of the configured rate; client heap ≤ 512 MB
# with 2,000 pods in the informer cache. Against fabric8's mock API server; no cluster needed.
# Usage: scale-tests/bench/kube-create.sh [PODS] [QPS]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q install -DskipTests -Dspotless.check.skip=true
source scale-tests/bench/machine.sh
machine start
mvn -B -q -pl scale-tests/target-kube verify -Pbench-kube -DskipTests -Dspotless.check.skip=true -Dbench.pods="${1:-2000}" -Dbench.qps="${2:-50}"
machine end
