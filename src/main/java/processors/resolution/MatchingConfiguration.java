package processors.resolution;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import processors.matching.BlockingKeys;
import processors.matching.Normalizers;
import processors.matching.RecordMatcher;

/** The matching core's objects as beans, with the phone region of {@code hub.matching.phone-region}. */
@Configuration
public class MatchingConfiguration {

    @Bean
    Normalizers matchNormalizers(@Value("${hub.matching.phone-region:US}") String phoneRegion) {
        return new Normalizers(phoneRegion);
    }

    @Bean
    RecordMatcher recordMatcher(Normalizers normalizers) {
        return new RecordMatcher(normalizers);
    }

    @Bean
    BlockingKeys blockingKeys(Normalizers normalizers) {
        return new BlockingKeys(normalizers);
    }
}
