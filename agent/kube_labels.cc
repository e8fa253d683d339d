#include "agent/kube_labels.h"

#include <vector>

namespace sluice::agent {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos)
      slash = path.size();
    if (slash > start)
      out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

void Set(LabelMap* labels, const char* meta, const char* plain, std::string_view value) {
  if (value.empty())
    return;
  (*labels)[meta] = std::string(value);
  if (plain != nullptr && !labels->contains(plain))
    (*labels)[plain] = std::string(value);
}

}  // namespace

bool AddKubernetesLabels(std::string_view path, LabelMap* labels) {
  std::vector<std::string_view> seg = Segments(path);
  const size_t n = seg.size();
  // .../pods/<ns>_<pod>_<uid>/<container>/<N>.log
  if (n >= 4 && seg[n - 4] == "pods" && seg[n - 1].ends_with(".log")) {
    std::string_view dir = seg[n - 3];
    size_t first = dir.find('_');
    size_t last = dir.rfind('_');
    if (first == std::string_view::npos || last == first)
      return false;
    Set(labels, "__meta_kubernetes_namespace", "namespace", dir.substr(0, first));
    Set(labels, "__meta_kubernetes_pod_name", "pod", dir.substr(first + 1, last - first - 1));
    Set(labels, "__meta_kubernetes_pod_uid", nullptr, dir.substr(last + 1));
    Set(labels, "__meta_kubernetes_pod_container_name", "container", seg[n - 2]);
    return true;
  }
  // .../containers/<pod>_<ns>_<container>-<id>.log
  if (n >= 2 && seg[n - 2] == "containers" && seg[n - 1].ends_with(".log")) {
    std::string_view name = seg[n - 1];
    name.remove_suffix(4);
    size_t first = name.find('_');
    size_t second = first == std::string_view::npos ? first : name.find('_', first + 1);
    size_t dash = name.rfind('-');
    if (second == std::string_view::npos || dash == std::string_view::npos || dash < second) {
      return false;
    }
    Set(labels, "__meta_kubernetes_pod_name", "pod", name.substr(0, first));
    Set(labels, "__meta_kubernetes_namespace", "namespace",
        name.substr(first + 1, second - first - 1));
    Set(labels, "__meta_kubernetes_pod_container_name", "container",
        name.substr(second + 1, dash - second - 1));
    return true;
  }
  return false;
}

}  // namespace sluice::agent
