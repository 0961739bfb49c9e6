package deploy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// manifests reads every document in kubernetes/*.yaml, keyed by kind (each
// kind once, except Service).
func manifests(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("kubernetes/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	out := map[string][]string{}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for doc := range strings.SplitSeq(string(body), "\n---\n") {
			var head struct{ Kind string }
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out[head.Kind] = append(out[head.Kind], doc)
		}
	}
	return out
}

func decode(t *testing.T, doc string, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict([]byte(doc), into); err != nil {
		t.Fatal(err)
	}
}

// TestKubernetesPolicy checks what the manifests must say beyond their
// schema: the API's probes, its locked-down container, secrets by reference
// only, and that the Services, the PodDisruptionBudget, the autoscaler and the
// NetworkPolicy all point at the StatefulSet's pods.
func TestKubernetesPolicy(t *testing.T) {
	all := manifests(t)
	if len(all["Secret"]) > 0 {
		t.Error("a Secret is in the repository: secrets are created outside it and referenced")
	}
	var sts appsv1.StatefulSet
	decode(t, all["StatefulSet"][0], &sts)
	pod := sts.Spec.Template
	podLabels := labels.Set(pod.Labels)
	c := pod.Spec.Containers[0]

	if c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.StartupProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Error("probes: want readiness and startup on /readyz, liveness on /healthz")
	}
	if budget := c.StartupProbe.PeriodSeconds * c.StartupProbe.FailureThreshold; budget < 300 {
		t.Errorf("startup probe allows %d s for catching up, want at least 300", budget)
	}
	psc, sc := pod.Spec.SecurityContext, c.SecurityContext
	locked := psc.RunAsNonRoot != nil && *psc.RunAsNonRoot && sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem &&
		sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation && sc.Capabilities != nil &&
		len(sc.Capabilities.Drop) == 1 && sc.Capabilities.Drop[0] == "ALL" &&
		psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
	if !locked {
		t.Errorf("container not locked down: pod %+v container %+v", psc, sc)
	}
	var mounts []string
	for _, m := range c.VolumeMounts {
		if !m.ReadOnly {
			mounts = append(mounts, m.MountPath)
		}
	}
	if strings.Join(mounts, " ") != "/data /tmp" {
		t.Errorf("writable mounts %v, want /data and /tmp only", mounts)
	}
	if len(sts.Spec.VolumeClaimTemplates) != 1 || sts.Spec.VolumeClaimTemplates[0].Name != "data" {
		t.Error("each replica's /data must come from its own volume claim template")
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Error("resources: want a CPU request and a memory limit")
	}
	for _, e := range c.Env {
		secretName := strings.HasSuffix(e.Name, "_KEY") || strings.HasSuffix(e.Name, "_TOKEN") || e.Name == "MONGODB_URI"
		if secretName && (e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil) {
			t.Errorf("%s is not taken from a Secret by reference", e.Name)
		}
	}

	for _, doc := range all["Service"] {
		var svc corev1.Service
		decode(t, doc, &svc)
		if !labels.SelectorFromSet(svc.Spec.Selector).Matches(podLabels) {
			t.Errorf("Service %s selects no API pod", svc.Name)
		}
	}
	var pdb policyv1.PodDisruptionBudget
	decode(t, all["PodDisruptionBudget"][0], &pdb)
	if pdb.Spec.Selector.MatchLabels["app.kubernetes.io/name"] != podLabels["app.kubernetes.io/name"] {
		t.Error("the PodDisruptionBudget does not select the API pods")
	}
	var hpa autoscalingv2.HorizontalPodAutoscaler
	decode(t, all["HorizontalPodAutoscaler"][0], &hpa)
	if ref := hpa.Spec.ScaleTargetRef; ref.Kind != "StatefulSet" || ref.Name != sts.Name || hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 {
		t.Errorf("the autoscaler does not scale the StatefulSet from 2 replicas: %+v", hpa.Spec)
	}
	var np networkingv1.NetworkPolicy
	decode(t, all["NetworkPolicy"][0], &np)
	if !labels.SelectorFromSet(np.Spec.PodSelector.MatchLabels).Matches(podLabels) || len(np.Spec.PolicyTypes) != 2 {
		t.Error("the NetworkPolicy does not govern both directions of the API pods")
	}
	ingressPorts := map[string]string{}
	for _, rule := range np.Spec.Ingress {
		ingressPorts[rule.Ports[0].Port.String()] = rule.From[0].NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]
	}
	if ingressPorts["http"] != "ingress-nginx" || ingressPorts["metrics"] != "monitoring" || len(ingressPorts) != 2 {
		t.Errorf("ingress: want http from the ingress controller and metrics from monitoring only, got %v", ingressPorts)
	}
}
