package processors.matching;

/** What a score says about two records. */
public enum Verdict {
    /** The same entity: the incoming record joins the candidate's shard. */
    MATCH,
    /** Perhaps the same: a person decides. */
    REVIEW,
    /** Different entities. */
    NO_MATCH
}
