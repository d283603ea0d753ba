package library

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
)

// conversationSchema holds the readers' votes and the moderators' channel
// settings, which every process reads.
var conversationSchema = sqlStep(`
	CREATE TABLE feedback (
		id bigserial PRIMARY KEY,
		collection text NOT NULL,
		message text NOT NULL,
		user_id text NOT NULL,
		at timestamptz NOT NULL,
		record jsonb NOT NULL,
		UNIQUE (collection, message, user_id)
	);
	CREATE INDEX feedback_by_collection ON feedback (collection, at DESC, id DESC);
	CREATE TABLE channel_settings (
		guild text NOT NULL,
		channel text NOT NULL,
		settings jsonb NOT NULL,
		updated_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (guild, channel)
	);`)

// PutFeedback records the vote, replacing the same user's vote on the same
// message, and forgets the collection's oldest votes beyond MaxFeedback.
func (p *Postgres) PutFeedback(ctx context.Context, fb Feedback) error {
	record, err := json.Marshal(fb)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO feedback (collection, message, user_id, at, record) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (collection, message, user_id) DO UPDATE SET at = EXCLUDED.at, record = EXCLUDED.record`,
			fb.Collection, fb.Message, fb.User, fb.At, record); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM feedback WHERE id IN (
			SELECT id FROM feedback WHERE collection = $1 ORDER BY at DESC, id DESC OFFSET $2)`, fb.Collection, feedbackKeep)
		return err
	})
}

// ListFeedback returns the votes of col, or of every collection, oldest first.
func (p *Postgres) ListFeedback(ctx context.Context, col string) ([]Feedback, error) {
	rows, err := p.pool.Query(ctx, `SELECT record FROM feedback WHERE $1 = '' OR collection = $1 ORDER BY at, id`, col)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Feedback, error) {
		var raw []byte
		var fb Feedback
		if err := row.Scan(&raw); err != nil {
			return fb, err
		}
		return fb, json.Unmarshal(raw, &fb)
	})
}
