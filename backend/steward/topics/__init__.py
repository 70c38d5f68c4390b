"""Self-governance topics (自治议题) and good ideas (金点子): a verified resident proposes, neighbours support
(one each, withdrawable) and comment; at the community's threshold a topic moves to discussion; staff decide,
supporters hear of it, and an adopted topic can become a joint project or a case."""
