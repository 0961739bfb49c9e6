package httpapi

import (
	"net/http"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

var (
	routeNotFound    = failure.New(failure.NotFound, "route_not_found", "no such route")
	methodNotAllowed = &failure.Error{Kind: failure.Conflict, Code: "method_not_allowed", Detail: "method not allowed"}
)

type registerRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required"`
	Role     string `json:"role" validate:"required,oneof=jobseeker employer"`
	Name     string `json:"name" validate:"required,min=1,max=200,nocontrol"`
	Locale   string `json:"locale" validate:"omitempty,oneof=bg en"`
}

type userResponse struct {
	ID          string   `json:"id"`
	Email       string   `json:"email"`
	Role        string   `json:"role"`
	Name        string   `json:"name"`
	Locale      string   `json:"locale,omitempty"`
	EmployerIDs []string `json:"employerIds,omitempty"`
}

func toUserResponse(u auth.User) userResponse {
	return userResponse{ID: u.ID, Email: u.Email, Role: string(u.Role), Name: u.Name, Locale: u.Locale, EmployerIDs: u.EmployerIDs}
}

func handleRegister(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req registerRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		u, err := a.Register(c.Request.Context(), auth.NewAccount{Email: req.Email, Password: req.Password,
			Role: auth.Role(req.Role), Name: req.Name, Locale: req.Locale, Address: c.ClientIP()})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toUserResponse(u))
	}
}

type createUserRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required"`
	Role     string `json:"role" validate:"required,oneof=officer admin"`
	Name     string `json:"name" validate:"required,min=1,max=200,nocontrol"`
	Locale   string `json:"locale" validate:"omitempty,oneof=bg en"`
}

func handleCreateUser(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createUserRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		u, err := a.CreateStaff(c.Request.Context(), auth.NewAccount{Email: req.Email, Password: req.Password,
			Role: auth.Role(req.Role), Name: req.Name, Locale: req.Locale})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toUserResponse(u))
	}
}

type loginRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

type tokenResponse struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	TokenType    string `json:"tokenType"`
	ExpiresIn    int    `json:"expiresIn"`
}

func toTokenResponse(t auth.Tokens) tokenResponse {
	return tokenResponse{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: "Bearer", ExpiresIn: t.ExpiresIn}
}

func handleLogin(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req loginRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		t, err := a.Login(c.Request.Context(), req.Email, req.Password, c.ClientIP())
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toTokenResponse(t))
	}
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken" validate:"required,max=200"`
}

func handleRefresh(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req refreshRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		t, err := a.Refresh(c.Request.Context(), req.RefreshToken)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toTokenResponse(t))
	}
}

func handleLogout(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req refreshRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		if err := a.Logout(c.Request.Context(), p, req.RefreshToken); err != nil {
			writeProblem(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func handleMe(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		u, err := a.User(c.Request.Context(), p.UserID)
		if err != nil {
			writeProblem(c, failure.Wrap(failure.Unauthorized, "bad_token", err))
			return
		}
		c.JSON(http.StatusOK, toUserResponse(u))
	}
}

type passwordRequest struct {
	CurrentPassword string `json:"currentPassword" validate:"required,max=1024"`
	NewPassword     string `json:"newPassword" validate:"required,max=1024"` // the policy (auth.CheckPassword) caps it lower
}

func handleChangePassword(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req passwordRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		err := a.ChangePassword(c.Request.Context(), p, auth.PasswordChange{Current: req.CurrentPassword, New: req.NewPassword, Address: c.ClientIP()})
		if err != nil {
			writeProblem(c, renameField(err, "password", "newPassword"))
			return
		}
		c.Status(http.StatusNoContent)
	}
}

// renameField names the request's field in a policy error that the domain
// reports under its own name.
func renameField(err error, from, to string) error {
	fe, ok := failure.As(err)
	if !ok || fe.Kind != failure.Invalid {
		return err
	}
	out := *fe
	out.Fields = make([]failure.FieldError, len(fe.Fields))
	for i, f := range fe.Fields {
		if f.Field == from {
			f.Field = to
		}
		out.Fields[i] = f
	}
	return &out
}

func handleSignOutEverywhere(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		if err := a.SignOutEverywhere(c.Request.Context(), p); err != nil {
			writeProblem(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func handleDeleteMe(a *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		if err := a.DeleteAccount(c.Request.Context(), p); err != nil {
			writeProblem(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}
