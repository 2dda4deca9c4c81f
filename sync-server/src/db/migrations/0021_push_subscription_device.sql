-- 0021 (issue 9): a Web Push subscription belongs to the device that registered it, that is to its
-- token, not to the family, cooperative or operator behind the token. Before, a subscription was kept
-- by principal: an operator whose code was replaced (a lost phone) had the old phone pushed as long as
-- the new code had a live token. Now:
--   * the row names its token (token_hash) and nothing else about the person: who it is for (role,
--     family, cooperative, operator) is read through the token's activation code when sending;
--   * sending joins the token and its code and skips any not live (revoked, expired, demo outside demo
--     mode), so a revoked device is never pushed, even in a race with its revocation;
--   * revoking a token (signing out, a device revoked by the family or the office, a code replaced or
--     revoked, an erasure, the cap on devices per code) drops its subscriptions in the same
--     transaction (the trigger below: every path that revokes goes through `tokens.revoked_at`), and a
--     token deleted takes them with it (ON DELETE CASCADE).
-- Existing rows cannot be told apart by device: they are dropped. The app registers its browser's
-- subscription again, bound to its token, when the notifications switch is shown (EmergencyPushToggle).
DELETE FROM push_subscriptions;
ALTER TABLE push_subscriptions
  ADD COLUMN token_hash text NOT NULL REFERENCES tokens (token_hash) ON DELETE CASCADE,
  DROP COLUMN principal,
  DROP COLUMN role,
  DROP COLUMN program_id,
  DROP COLUMN family_id,
  DROP COLUMN provider_id;
CREATE INDEX push_subscriptions_token ON push_subscriptions (token_hash);

CREATE FUNCTION push_subscriptions_drop_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM push_subscriptions WHERE token_hash = NEW.token_hash;
  RETURN NULL;
END
$$;
CREATE TRIGGER tokens_revoked_drop_push_subscriptions AFTER UPDATE OF revoked_at ON tokens
  FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
  EXECUTE FUNCTION push_subscriptions_drop_revoked();

-- Who a notification is for is now found from the codes: a family's or a cooperative's codes, then
-- their tokens (tokens_code), then those tokens' subscriptions (push_subscriptions_token).
CREATE INDEX activation_codes_family ON activation_codes (family_id) WHERE family_id IS NOT NULL;
CREATE INDEX activation_codes_provider ON activation_codes (provider_id) WHERE provider_id IS NOT NULL;
