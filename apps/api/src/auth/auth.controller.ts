import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Locale, PasswordCheckResponse, PasswordPolicy, ResetLinkInfo, SessionResponse } from '@guichet/contracts';
import type { Request, Response } from 'express';
import type { AuthenticatedContext, RequestContext } from '../access/principal';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { AnonymousCtx, Authenticated, Ctx, Public } from '../access/route-access';
import { AuthService, type IssuedSession } from './auth.service';
import { ChangePasswordDto, ForgotPasswordDto, LoginDto, PasswordCheckDto, ResetLinkDto, ResetPasswordDto } from './dto/auth.dto';
import { PasswordRecovery } from './password-recovery';
import { PasswordService } from './password.service';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './session-cookie';

/** The language the caller's interface shows, from Accept-Language; French first. */
function interfaceLocale(req: Request, fallback: Locale): Locale {
  if (!req.headers['accept-language']) return fallback;
  return req.acceptsLanguages('fr', 'en') === 'en' ? 'en' : 'fr';
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly recovery: PasswordRecovery,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(@Body() body: LoginDto, @AnonymousCtx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<SessionResponse> {
    return this.handOver(await this.auth.login(body, ctx), res);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  async refresh(@Req() req: Request, @AnonymousCtx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<SessionResponse> {
    try {
      return this.handOver(await this.auth.refresh(readRefreshCookie(req), ctx), res);
    } catch (err) {
      clearRefreshCookie(res, this.config.cookieSecure);
      throw err;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  async logout(@Req() req: Request, @AnonymousCtx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(readRefreshCookie(req), ctx);
    clearRefreshCookie(res, this.config.cookieSecure);
  }

  @Post('password')
  @Authenticated({ duringPasswordChange: true })
  @HttpCode(200)
  async changePassword(
    @Body() body: ChangePasswordDto,
    @Ctx() ctx: AuthenticatedContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionResponse> {
    return this.handOver(await this.auth.changePassword(ctx, body, interfaceLocale(req, ctx.principal.locale)), res);
  }

  @Post('password-reset')
  @Public()
  @HttpCode(204)
  async resetPassword(@Body() body: ResetPasswordDto, @AnonymousCtx() ctx: RequestContext, @Req() req: Request): Promise<void> {
    await this.auth.resetPassword(body, ctx, interfaceLocale(req, 'fr'));
  }

  /** Public by design (ADR 0032): the same 202 whether or not an account uses the address. */
  @Post('password-forgotten')
  @Public()
  @HttpCode(202)
  async forgotPassword(@Body() body: ForgotPasswordDto, @AnonymousCtx() ctx: RequestContext): Promise<void> {
    await this.recovery.request(body.email, ctx);
  }

  /** Whom an activation or reset link is for; it stays unused. POST keeps the token out of URLs and logs. */
  @Post('reset-link')
  @Public()
  @HttpCode(200)
  resetLink(@Body() body: ResetLinkDto): Promise<ResetLinkInfo> {
    return this.recovery.describe(body.token);
  }

  @Get('password-policy')
  @Public()
  passwordPolicy(): PasswordPolicy {
    return this.passwords.policy;
  }

  @Post('password-check')
  @Public()
  @HttpCode(200)
  passwordCheck(@Body() body: PasswordCheckDto, @Req() req: Request): PasswordCheckResponse {
    return this.passwords.check(body.password, { email: body.email, displayName: body.displayName }, interfaceLocale(req, 'fr'));
  }

  private handOver(session: IssuedSession, res: Response): SessionResponse {
    setRefreshCookie(res, session.refreshToken, this.config.cookieSecure, this.config.refreshTokenTtlDays);
    res.setHeader('Cache-Control', 'no-store');
    return session.body;
  }
}
