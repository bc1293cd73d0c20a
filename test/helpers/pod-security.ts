/**
 * Checks a workload's pod template against the Pod Security "restricted"
 * profile (the controls the admission plugin enforces) and this project's
 * own pod rules (resources on every container, read-only root filesystem,
 * pinned images). Returns readable violations; empty means compliant.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import { isPinnedImage } from '../../lib/spec';

type Any = Record<string, any>;

/** Volume types "restricted" allows. */
const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

function podSpecOf(object: Any): Any | undefined {
  if (object['kind'] === 'Pod') return object['spec'];
  if (object['kind'] === 'CronJob') return object['spec']?.jobTemplate?.spec?.template?.spec;
  return object['spec']?.template?.spec;
}

/** Violations of Pod Security "restricted" and the project's pod rules in one object (none for non-workloads). */
export function restrictedViolations(object: Any): string[] {
  const spec = podSpecOf(object);
  if (spec === undefined) return [];
  const where = `${object['kind']}/${object['metadata']?.name}`;
  const out: string[] = [];
  const pod = spec['securityContext'] ?? {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field]) out.push(`${where}: ${field} is set`);
  for (const volume of spec['volumes'] ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!ALLOWED_VOLUMES.includes(type ?? '')) out.push(`${where}: volume ${volume.name} of type ${type} is not allowed`);
  }
  if (pod.runAsUser === 0) out.push(`${where}: pod runAsUser is 0`);
  const containers: Any[] = [...(spec['initContainers'] ?? []), ...(spec['containers'] ?? []), ...(spec['ephemeralContainers'] ?? [])];
  if (containers.length === 0) out.push(`${where}: no containers`);
  for (const container of containers) {
    const at = `${where} container ${container.name}`;
    const sc = container.securityContext ?? {};
    if (sc.privileged) out.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation is not false`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${at}: runAsNonRoot is not true`);
    if (sc.runAsUser === 0) out.push(`${at}: runAsUser is 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${at}: seccompProfile is ${seccomp ?? 'unset'}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${at}: capabilities do not drop ALL`);
    for (const added of sc.capabilities?.add ?? []) if (added !== 'NET_BIND_SERVICE') out.push(`${at}: adds capability ${added}`);
    for (const port of container.ports ?? []) if (port.hostPort) out.push(`${at}: hostPort ${port.hostPort}`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${at}: root filesystem is writable`);
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined) out.push(`${at}: no ${kind}.${resource}`);
      }
    }
    if (!isPinnedImage(container.image ?? '')) out.push(`${at}: image ${container.image} is not pinned`);
  }
  return out;
}
