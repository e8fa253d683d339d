// Labels derived from Kubernetes node log paths, so a DaemonSet with a hostPath mount needs no
// API server:
//   /var/log/pods/<namespace>_<pod>_<uid>/<container>/<N>.log
//   /var/log/containers/<pod>_<namespace>_<container>-<container id>.log
// give __meta_kubernetes_namespace, __meta_kubernetes_pod_name, __meta_kubernetes_pod_uid
// (pods form only), __meta_kubernetes_pod_container_name (Promtail's names, for
// relabel_configs) and the plain labels namespace, pod, container. Other paths give nothing.
// The match is on the last path components, so a prefix (a hostPath mounted elsewhere) works.
// Thread-safety: stateless.
#pragma once

#include <string_view>

#include "agent/relabel.h"

namespace sluice::agent {

// Adds the labels for `path` to *labels (plain labels only where not already set).
// Returns false (and adds nothing) when the path has neither shape.
bool AddKubernetesLabels(std::string_view path, LabelMap* labels);

}  // namespace sluice::agent
