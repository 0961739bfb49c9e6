package client

import (
	"context"
	"net/http"
)

// NewUser is an account to create: with Register a "jobseeker" or
// "employer" signs themselves up; with CreateUser an admin adds an
// "officer" or "admin".
type NewUser struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Name     string `json:"name"`
	Locale   string `json:"locale,omitempty"` // "bg" (default) or "en"
}

// User is an account.
type User struct {
	ID          string   `json:"id"`
	Email       string   `json:"email"`
	Role        string   `json:"role"`
	Name        string   `json:"name"`
	Locale      string   `json:"locale,omitempty"`
	EmployerIDs []string `json:"employerIds,omitempty"` // the employers an employer account belongs to
}

// Tokens is a signed-in session: a short-lived access token and the
// refresh token that renews it.
type Tokens struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	TokenType    string `json:"tokenType"` // "Bearer"
	ExpiresIn    int    `json:"expiresIn"` // seconds the access token is valid
}

// Register creates a job-seeker or employer account (POST
// /api/v1/auth/register). A taken e-mail is a 409 Problem; other roles or
// a weak password a 400.
func (c *Client) Register(ctx context.Context, u NewUser) (User, error) {
	var out User
	err := c.do(ctx, http.MethodPost, "/api/v1/auth/register", nil, u, &out)
	return out, err
}

// Login signs in and keeps the tokens for the following calls (POST
// /api/v1/auth/login). Wrong credentials are a 401 Problem, too many
// failures a 429 with RetryAfter.
func (c *Client) Login(ctx context.Context, email, password string) (Tokens, error) {
	var out Tokens
	in := struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}{email, password}
	if err := c.do(ctx, http.MethodPost, "/api/v1/auth/login", nil, in, &out); err != nil {
		return Tokens{}, err
	}
	c.SetTokens(out)
	return out, nil
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// Refresh trades the held refresh token for a new pair and keeps it (POST
// /api/v1/auth/refresh). Each refresh token works once: using one again is
// a 401 and revokes every token of that sign-in, including the newest.
func (c *Client) Refresh(ctx context.Context) (Tokens, error) {
	var out Tokens
	in := refreshRequest{c.Tokens().RefreshToken}
	if err := c.do(ctx, http.MethodPost, "/api/v1/auth/refresh", nil, in, &out); err != nil {
		return Tokens{}, err
	}
	c.SetTokens(out)
	return out, nil
}

// Logout revokes the held refresh token's sign-in and forgets the tokens
// (POST /api/v1/auth/logout). The access token stays valid until it
// expires.
func (c *Client) Logout(ctx context.Context) error {
	in := refreshRequest{c.Tokens().RefreshToken}
	if err := c.do(ctx, http.MethodPost, "/api/v1/auth/logout", nil, in, nil); err != nil {
		return err
	}
	c.SetTokens(Tokens{})
	return nil
}

// Me returns the signed-in account (GET /api/v1/me).
func (c *Client) Me(ctx context.Context) (User, error) {
	var out User
	err := c.do(ctx, http.MethodGet, "/api/v1/me", nil, nil, &out)
	return out, err
}

// ChangePassword replaces the signed-in account's password (POST
// /api/v1/auth/password). It ends every session of the account, this
// client's too, so the held tokens are forgotten: sign in again with the
// new password. A wrong current password is a 400 Problem on
// currentPassword.
func (c *Client) ChangePassword(ctx context.Context, current, next string) error {
	in := struct {
		CurrentPassword string `json:"currentPassword"`
		NewPassword     string `json:"newPassword"`
	}{current, next}
	if err := c.do(ctx, http.MethodPost, "/api/v1/auth/password", nil, in, nil); err != nil {
		return err
	}
	c.SetTokens(Tokens{})
	return nil
}

// LogoutAll ends every session of the signed-in account, on every device,
// and forgets the held tokens (POST /api/v1/auth/logout-all). Access
// tokens already issued stay valid until they expire.
func (c *Client) LogoutAll(ctx context.Context) error {
	if err := c.do(ctx, http.MethodPost, "/api/v1/auth/logout-all", nil, nil, nil); err != nil {
		return err
	}
	c.SetTokens(Tokens{})
	return nil
}

// DeleteMe deletes the signed-in employer, officer or admin account and
// forgets the held tokens (DELETE /api/v1/me). A job-seeker gets a 409
// Problem with code erase_profile: their account goes with the profile's
// erasure.
func (c *Client) DeleteMe(ctx context.Context) error {
	if err := c.do(ctx, http.MethodDelete, "/api/v1/me", nil, nil, nil); err != nil {
		return err
	}
	c.SetTokens(Tokens{})
	return nil
}

// CreateUser creates an officer or admin account; only admins may (POST
// /api/v1/users).
func (c *Client) CreateUser(ctx context.Context, u NewUser) (User, error) {
	var out User
	err := c.do(ctx, http.MethodPost, "/api/v1/users", nil, u, &out)
	return out, err
}
