package providers.salesforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import providers.RateBudget;
import providers.RateLimitHeaderReader;

/**
 * {@code Sforce-Limit-Info}: "name=used/limit" entries separated by ';' ({@code api-usage=18/5000},
 * {@code api-bursts=1/750}), an entry may end in "(appName=…)" ({@code per-app-api-usage=17/250(appName=Foo)}).
 */
@Component
public class SalesforceRateHeaders implements RateLimitHeaderReader {

    @Override
    public String providerId() {
        return SalesforceAdapter.PROVIDER_ID;
    }

    @Override
    public RateBudget read(Function<String, String> header, Instant now) {
        String info = header.apply("Sforce-Limit-Info");
        if (info == null) {
            return null;
        }
        List<RateBudget> entries = new ArrayList<>();
        for (String entry : info.split(";")) {
            entries.add(entry(entry));
        }
        return RateBudget.tightest(entries);
    }

    private static RateBudget entry(String entry) {
        int equals = entry.indexOf('=');
        if (equals < 0) {
            return null;
        }
        String usage = entry.substring(equals + 1);
        int paren = usage.indexOf('(');
        if (paren >= 0) {
            usage = usage.substring(0, paren);
        }
        int slash = usage.indexOf('/');
        if (slash < 0) {
            return null;
        }
        Long used = RateBudget.count(usage.substring(0, slash));
        Long limit = RateBudget.count(usage.substring(slash + 1));
        if (used == null || limit == null || limit <= 0) {
            return null;
        }
        return new RateBudget(limit, Math.max(0L, limit - used), null);
    }
}
