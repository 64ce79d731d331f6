/** Why edit controls are disabled: the user has viewer access only. */
export function ViewerNote({ what = "this" }: { what?: string }) {
  return (
    <p className="notice notice-info" data-testid="viewer-note">
      You have <strong>viewer</strong> access, so you can look at {what} but not change it. Ask an admin for editor access.
    </p>
  );
}
