package io.kdensity.scale.sim;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The API server's authenticator: bearer tokens and the users they stand for. The kubeconfig's
 * token is the operator's, a cluster admin (as kubeadm's admin.conf); each simulated component has
 * its own identity, as the real ones have their service accounts, so admission can tell who asked
 * (OpenShift's SCC admission checks the requesting user as well as the pod's service account).
 */
final class Identities {
  static final String ADMIN = "kubernetes-admin";
  static final String KUBELET = "system:node:";
  static final String DAEMONSET_CONTROLLER =
      "system:serviceaccount:kube-system:daemon-set-controller";
  static final String NAMESPACE_CONTROLLER =
      "system:serviceaccount:kube-system:namespace-controller";
  static final String SCHEDULER = "system:kube-scheduler";
  static final String MULTUS = "system:serviceaccount:kube-system:multus";

  private final Map<String, String> userByToken;
  private final String adminToken;

  Identities(String nodeName) {
    SecureRandom r = new SecureRandom();
    this.adminToken = token(r);
    this.userByToken =
        Map.of(
            adminToken,
            ADMIN,
            token("kubelet"),
            KUBELET + nodeName,
            token("daemonset"),
            DAEMONSET_CONTROLLER,
            token("namespace"),
            NAMESPACE_CONTROLLER,
            token("scheduler"),
            SCHEDULER,
            token("multus"),
            MULTUS);
  }

  private static String token(SecureRandom r) {
    byte[] b = new byte[24];
    r.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The (fixed) token of a simulated component; only this machine's sim uses it. */
  static String token(String component) {
    return "kd-sim-" + component;
  }

  String adminToken() {
    return adminToken;
  }

  /** Who sent the request, or null for an unknown or missing token. */
  String userOf(RecordedRequest request) {
    String auth = request.getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      return null;
    }
    return userByToken.get(auth.substring("Bearer ".length()).strip());
  }

  static boolean isAdmin(String user) {
    return ADMIN.equals(user);
  }
}
