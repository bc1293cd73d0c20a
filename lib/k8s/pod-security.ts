/**
 * Security contexts that satisfy Pod Security "restricted" (and this
 * project's stricter defaults: read-only root filesystem), for every pod
 * the constructs emit.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import { k8s } from 'cdk8s-plus-34';

/** The unprivileged user helper pods (placeholders, pre-pulls) run as: the one the pause image declares. */
export const HELPER_UID = 65535;

/** Pod-level settings: non-root user and the runtime's default seccomp profile. */
export function restrictedPodSecurityContext(uid: number = HELPER_UID): k8s.PodSecurityContext {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Container-level settings: no privilege escalation, every capability dropped, read-only root filesystem. */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
  };
}

/** Requests and limits from plain quantities (and whole GPUs, as `nvidia.com/gpu`, which takes equal requests and limits). */
export function resourceRequirements(
  requests: { cpu: string; memory: string; gpu?: number },
  limits: { cpu: string; memory: string } = requests,
): k8s.ResourceRequirements {
  const gpu: Record<string, k8s.Quantity> = requests.gpu ? { 'nvidia.com/gpu': k8s.Quantity.fromString(String(requests.gpu)) } : {};
  return {
    requests: { cpu: k8s.Quantity.fromString(requests.cpu), memory: k8s.Quantity.fromString(requests.memory), ...gpu },
    limits: { cpu: k8s.Quantity.fromString(limits.cpu), memory: k8s.Quantity.fromString(limits.memory), ...gpu },
  };
}
