package sandbox.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SigningKeyPairTest {

    @Test
    void callersAtTheSameMomentGetOneKeyThatSignsAndVerifies() throws Exception {
        SigningKeyPair keys = new SigningKeyPair();
        List<CompletableFuture<KeyPair>> callers = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(keys::get)).toList();
        KeyPair first = callers.get(0).join();
        for (CompletableFuture<KeyPair> caller : callers) {
            assertThat(caller.join()).isSameAs(first);
        }
        assertThat(keys.get()).isSameAs(first);
        assertThat(((RSAPublicKey) first.getPublic()).getModulus().bitLength()).isEqualTo(2048);

        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(first.getPrivate());
        signer.update("delivery".getBytes());
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.get().getPublic());
        verifier.update("delivery".getBytes());
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void twoSandboxesHaveTwoKeys() {
        assertThat(new SigningKeyPair().get().getPublic()).isNotEqualTo(new SigningKeyPair().get().getPublic());
    }
}
