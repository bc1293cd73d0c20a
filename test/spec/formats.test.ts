import { isDns1123Label, isHttpsUrl, isPinnedImage, isQuantity, parseQuantity } from '../../lib/spec';

describe('value formats', () => {
  it.each([
    ['acme', true],
    ['us-east-1', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['Acme', false],
    ['-acme', false],
    ['acme-', false],
    ['ac_me', false],
    ['', false],
  ])('DNS-1123 label %s → %s', (value, expected) => {
    expect(isDns1123Label(value)).toBe(expected);
  });

  it.each([
    ['500m', true],
    ['4', true],
    ['16Gi', true],
    ['1.5', true],
    ['1e3', true],
    ['8 gigs', false],
    ['16GB', false],
    ['-1', false],
    ['', false],
  ])('Kubernetes quantity %s → %s', (value, expected) => {
    expect(isQuantity(value)).toBe(expected);
  });

  it.each([
    ['500m', 0.5],
    ['4', 4],
    ['16Gi', 16 * 2 ** 30],
    ['2k', 2000],
    ['1e3', 1000],
  ])('parses quantity %s as %d base units', (value, expected) => {
    expect(parseQuantity(value)).toBeCloseTo(expected);
  });

  it.each([
    ['ghcr.io/acme/modelhost:2025.1', true],
    ['registry:5000/acme/app:1.0', true],
    [`ghcr.io/acme/app@sha256:${'a'.repeat(64)}`, true],
    ['ghcr.io/acme/app:latest', false],
    ['ghcr.io/acme/app', false],
    ['registry:5000/acme/app', false],
    ['ghcr.io/acme/app:', false],
    ['nginxinc/nginx-unprivileged:1.29.4-alpine', true],
    ['localhost/app:1', true],
    // The kubelet refuses these as InvalidImageName: a short digest, upper case in the path, an empty tag.
    ['ghcr.io/acme/x@sha256:abc', false],
    ['ghcr.io/Acme/x:1', false],
    ['Acme/x:1', false],
    ['x::1', false],
  ])('image %s pinned → %s', (value, expected) => {
    expect(isPinnedImage(value)).toBe(expected);
  });

  it.each([
    ['https://auth.acme.example', true],
    ['http://auth.acme.example', false],
    ['auth.acme.example', false],
  ])('https URL %s → %s', (value, expected) => {
    expect(isHttpsUrl(value)).toBe(expected);
  });
});
