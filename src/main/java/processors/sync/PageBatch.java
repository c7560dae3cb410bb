package processors.sync;

import java.util.ArrayList;
import java.util.List;

import store.ShardStore.ShardWrite;

/** The outcomes of one page, in provider order, gathered by the split for a single transactional write. */
public final class PageBatch {

    private final List<RecordOutcome> outcomes = new ArrayList<>();

    void add(RecordOutcome outcome) {
        outcomes.add(outcome);
    }

    public List<RecordOutcome> outcomes() {
        return outcomes;
    }

    /** The shards the page's write created and changed (references only: read by shard change listeners, if any). */
    private List<ShardWrite> created = List.of();
    private List<ShardWrite> changed = List.of();

    void written(List<ShardWrite> created, List<ShardWrite> changed) {
        this.created = created;
        this.changed = changed;
    }

    public List<ShardWrite> created() {
        return created;
    }

    public List<ShardWrite> changed() {
        return changed;
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
