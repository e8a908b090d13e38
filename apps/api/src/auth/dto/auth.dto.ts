import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type {
  ChangePasswordRequest,
  ForgotPasswordRequest,
  LoginRequest,
  PasswordCheckRequest,
  ResetLinkRequest,
  ResetPasswordRequest,
} from '@guichet/contracts';
import { OptionalNotNull } from '../../common/dto/presence';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'marie.dupont@culture.gouv.fr', maxLength: 254 })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  currentPassword!: string;

  @ApiProperty({ maxLength: 256, description: 'Must satisfy the password policy (GET /api/auth/password-policy)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  newPassword!: string;
}

export class ResetPasswordDto implements ResetPasswordRequest {
  @ApiProperty({ description: 'The token of the activation or reset link', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;

  @ApiProperty({ maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  newPassword!: string;
}

export class ForgotPasswordDto implements ForgotPasswordRequest {
  @ApiProperty({ example: 'marie.dupont@culture.gouv.fr', maxLength: 254 })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;
}

export class ResetLinkDto implements ResetLinkRequest {
  @ApiProperty({ description: 'The token of the activation or reset link', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;
}

export class PasswordCheckDto implements PasswordCheckRequest {
  @ApiProperty({ maxLength: 256 })
  @IsString()
  @MaxLength(256)
  password!: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  displayName?: string;
}
