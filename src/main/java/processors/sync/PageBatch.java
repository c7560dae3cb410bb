package processors.sync;

import java.util.ArrayList;
import java.util.List;

/** The outcomes of one page, in provider order, gathered by the split for a single transactional write. */
public final class PageBatch {

    private final List<RecordOutcome> outcomes = new ArrayList<>();

    void add(RecordOutcome outcome) {
        outcomes.add(outcome);
    }

    public List<RecordOutcome> outcomes() {
        return outcomes;
    }

    /** Change marker of the page's last record, mapped or not: the pass cursor after this page. */
    public String lastVersion() {
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            if (outcomes.get(i).version() != null) {
                return outcomes.get(i).version();
            }
        }
        return null;
    }
}
