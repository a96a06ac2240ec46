package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST selfsubjectaccessreviews}: "may I?" answered by the {@link Rbac} authorizer for the
 * requesting user (the operator is a cluster admin, so everything is allowed to it).
 */
final class AccessReviews implements ApiHandler {
  private final Identities identities;
  private final Rbac rbac;

  AccessReviews(Identities identities, Rbac rbac) {
    this.identities = identities;
    this.rbac = rbac;
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (path == null
        || !request.getMethod().equals("POST")
        || !path.is("authorization.k8s.io", "selfsubjectaccessreviews")) {
      return Optional.empty();
    }
    SelfSubjectAccessReview r =
        Serialization.unmarshal(request.getUtf8Body(), SelfSubjectAccessReview.class);
    var a = r.getSpec().getResourceAttributes();
    boolean allowed =
        a != null
            && rbac.allows(
                new Rbac.Request(
                    identities.userOf(request),
                    List.of("system:authenticated"),
                    a.getVerb(),
                    a.getGroup() == null ? "" : a.getGroup(),
                    a.getSubresource() == null || a.getSubresource().isEmpty()
                        ? a.getResource()
                        : a.getResource() + "/" + a.getSubresource(),
                    a.getName() == null ? "" : a.getName(),
                    a.getNamespace() == null ? "" : a.getNamespace()));
    r.setStatus(new SubjectAccessReviewStatus(allowed, false, null, allowed ? "" : "no RBAC rule"));
    return Optional.of(
        new MockResponse()
            .setResponseCode(201)
            .setHeader("Content-Type", "application/json")
            .setBody(Serialization.asJson(r)));
  }
}
