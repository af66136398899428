package io.eventfeeds.deploy.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.List;
import java.util.Optional;

/** Reading the public origins off the rendered Ingresses. */
public final class Ingresses {

    public static final String GATEWAY = "gateway-service";

    private Ingresses() {
    }

    /** The browser origin of the gateway: https://HOST of the rule whose root path goes to the gateway. */
    public static Optional<String> gatewayOrigin(List<HasMetadata> objects) {
        return hostServing(objects, GATEWAY).map(host -> (hasTls(objects, host) ? "https://" : "http://") + host);
    }

    /** The host of the first rule with a path to the given Service. */
    public static Optional<String> hostServing(List<HasMetadata> objects, String service) {
        for (Ingress ingress : Objects.ofKind(objects, Ingress.class)) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    if (path.getBackend().getService() != null
                            && service.equals(path.getBackend().getService().getName())) {
                        return Optional.ofNullable(rule.getHost());
                    }
                }
            }
        }
        return Optional.empty();
    }

    static boolean hasTls(List<HasMetadata> objects, String host) {
        for (Ingress ingress : Objects.ofKind(objects, Ingress.class)) {
            List<IngressTLS> tls = ingress.getSpec().getTls();
            if (tls != null && tls.stream().anyMatch(t -> t.getHosts() != null && t.getHosts().contains(host))) {
                return true;
            }
        }
        return false;
    }
}
