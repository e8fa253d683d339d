#include "agent/relabel.h"

#include <gtest/gtest.h>

#include "agent/kube_labels.h"

namespace sluice::agent {
namespace {

RelabelConfig Make(RelabelAction a, std::vector<std::string> src, std::string regex = "(.*)",
                   std::string target = "", std::string replacement = "$1") {
  Result<RelabelConfig> rc = RelabelConfig::Make(a, std::move(src), regex, target, replacement);
  EXPECT_TRUE(rc.ok()) << rc.status().ToString();
  return *rc;
}

TEST(RelabelTest, Replace) {
  LabelMap in = {{"__meta_kubernetes_namespace", "prod"}, {"app", "api"}};
  auto out = Relabel(in, {Make(RelabelAction::kReplace, {"__meta_kubernetes_namespace", "app"},
                               "(.*);(.*)", "ns_app", "${1}-$2")});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->at("ns_app"), "prod-api");
  // A regex that does not match leaves labels alone.
  out = Relabel(in, {Make(RelabelAction::kReplace, {"app"}, "web", "x", "y")});
  EXPECT_FALSE(out->contains("x"));
  // An empty replacement removes the target.
  out = Relabel(in, {Make(RelabelAction::kReplace, {"missing"}, "(.*)", "app", "$1")});
  EXPECT_FALSE(out->contains("app"));
}

TEST(RelabelTest, KeepAndDrop) {
  LabelMap in = {{"namespace", "kube-system"}};
  EXPECT_FALSE(Relabel(in, {Make(RelabelAction::kDrop, {"namespace"}, "kube-.*")}));
  EXPECT_TRUE(Relabel(in, {Make(RelabelAction::kKeep, {"namespace"}, "kube-.*")}));
  EXPECT_FALSE(Relabel(in, {Make(RelabelAction::kKeep, {"namespace"}, "prod")}));
  // Anchored: a partial match does not count.
  EXPECT_TRUE(Relabel(in, {Make(RelabelAction::kDrop, {"namespace"}, "kube")}));
}

TEST(RelabelTest, LabelMapDropKeep) {
  LabelMap in = {{"__meta_kubernetes_pod_label_app", "api"},
                 {"__meta_kubernetes_pod_label_tier", "web"},
                 {"keep_me", "1"},
                 {"drop_me", "2"}};
  auto out = Relabel(in, {Make(RelabelAction::kLabelMap, {}, "__meta_kubernetes_pod_label_(.+)"),
                          Make(RelabelAction::kLabelDrop, {}, "drop_.*")});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->at("app"), "api");
  EXPECT_EQ(out->at("tier"), "web");
  EXPECT_FALSE(out->contains("drop_me"));
  EXPECT_TRUE(out->contains("keep_me"));
  out = Relabel(*out, {Make(RelabelAction::kLabelKeep, {}, "app|tier")});
  EXPECT_EQ(out->size(), 2u);
}

TEST(RelabelTest, ConfigValidation) {
  EXPECT_FALSE(RelabelConfig::Make(RelabelAction::kReplace, {"a"}, "(.*)", "").ok());
  EXPECT_FALSE(RelabelConfig::Make(RelabelAction::kKeep, {}, "(.*)").ok());
  EXPECT_FALSE(RelabelConfig::Make(RelabelAction::kReplace, {"a"}, "(", "b").ok());
  EXPECT_FALSE(ParseRelabelAction("nope").ok());
  EXPECT_EQ(*ParseRelabelAction("LabelMap"), RelabelAction::kLabelMap);
}

TEST(KubeLabelsTest, PodsPath) {
  LabelMap labels;
  ASSERT_TRUE(
      AddKubernetesLabels("/var/log/pods/shop_checkout-7d9f_0b8c-11ee-9a/server/0.log", &labels));
  EXPECT_EQ(labels.at("namespace"), "shop");
  EXPECT_EQ(labels.at("pod"), "checkout-7d9f");
  EXPECT_EQ(labels.at("container"), "server");
  EXPECT_EQ(labels.at("__meta_kubernetes_pod_uid"), "0b8c-11ee-9a");
  EXPECT_EQ(labels.at("__meta_kubernetes_pod_container_name"), "server");
}

TEST(KubeLabelsTest, ContainersPathAndOthers) {
  LabelMap labels;
  ASSERT_TRUE(AddKubernetesLabels(
      "/host/var/log/containers/checkout-7d9f_shop_server-0123456789abcdef.log", &labels));
  EXPECT_EQ(labels.at("namespace"), "shop");
  EXPECT_EQ(labels.at("pod"), "checkout-7d9f");
  EXPECT_EQ(labels.at("container"), "server");
  LabelMap none;
  EXPECT_FALSE(AddKubernetesLabels("/var/log/syslog", &none));
  EXPECT_TRUE(none.empty());
  // Static labels win over derived plain labels.
  LabelMap preset = {{"namespace", "mine"}};
  AddKubernetesLabels("/var/log/pods/a_b_c/d/0.log", &preset);
  EXPECT_EQ(preset.at("namespace"), "mine");
  EXPECT_EQ(preset.at("__meta_kubernetes_namespace"), "a");
}

TEST(RelabelTest, KubernetesMetaLabelsThroughRelabel) {
  LabelMap labels;
  AddKubernetesLabels("/var/log/pods/kube-system_coredns-1_u/coredns/0.log", &labels);
  EXPECT_FALSE(Relabel(
      labels, {Make(RelabelAction::kDrop, {"__meta_kubernetes_namespace"}, "kube-system")}));
}

}  // namespace
}  // namespace sluice::agent
