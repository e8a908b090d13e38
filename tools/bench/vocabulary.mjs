// French IT-support vocabulary for the benchmark's generated tickets and replies.
// Titles, descriptions and replies are assembled from these lists by SQL templates in
// generate.mjs, so full-text search meets the word frequencies of a real help desk: some
// words are everywhere ("erreur", "serveur"), most are rarer ("captcha", "parapheur").

export const WORDS = {
  // Things that break, with their article.
  obj: [
    'le serveur de fichiers', 'le serveur web', 'le serveur applicatif', 'la base de données', 'la messagerie', 'le webmail',
    'le certificat SSL', 'le certificat du portail', "la page d'accueil", 'le formulaire de contact', "le formulaire d'inscription",
    'le module de paiement', "l'annuaire LDAP", 'le VPN', 'le proxy', 'le pare-feu', 'la sauvegarde nocturne', 'la réplication',
    'le répartiteur de charge', 'le DNS', "l'espace de stockage", 'la GED', "l'intranet", "l'extranet", 'le portail usagers',
    'le portail agents', "l'application de gestion des congés", 'le logiciel de paie', "l'outil de ticketing", "l'export CSV",
    'le tableau de bord', 'le moteur de recherche', 'le flux RSS', "l'API de géolocalisation", 'le connecteur SSO',
    "l'authentification", 'la visioconférence', 'la téléphonie', "l'imprimante du deuxième étage", 'le poste de travail',
    "l'ordinateur portable", 'la tablette', 'le smartphone', 'le navigateur', 'le lecteur de badges', 'le site internet',
    'le back-office', 'la plateforme de téléservices', 'le cluster Kubernetes', 'la machine virtuelle', "l'hyperviseur",
    'le stockage objet', 'la file de messages', 'le traitement batch', "l'ordonnanceur", 'le service de SMS',
    "l'envoi des courriels", 'la signature électronique', 'le parapheur électronique', 'le registre des délibérations',
    "l'état civil", 'le cadastre', 'le SIG', 'la billetterie', 'la médiathèque en ligne', 'le site de recrutement',
    'la plateforme de marchés publics', "l'entrepôt de données", 'les statistiques de fréquentation', 'le module de facturation',
    'Chorus Pro', "l'application mobile", 'la lettre d\'information', 'le CMS', 'le thème graphique', 'le menu principal',
    'la page de connexion', 'le captcha', 'le formulaire de réclamation', 'le téléversement de pièces jointes',
    'la recherche avancée', 'le calendrier partagé', 'les listes de diffusion', 'le partage réseau', "l'antivirus",
    'le serveur de messagerie', "la base de données de l'état civil", 'le wifi invités', 'le standard téléphonique',
  ],
  sym: [
    'Lenteur', 'Lenteur importante', 'Indisponibilité', 'Indisponibilité totale', 'Erreur 500', 'Erreur 404', 'Erreur 502',
    'Erreur 503', "Message d'erreur", 'Plantage', 'Blocage', 'Dysfonctionnement', 'Comportement anormal', 'Affichage incorrect',
    "Problème d'accès", 'Perte de connexion', "Délai d'attente dépassé", 'Échec de connexion', 'Données manquantes', 'Doublons',
    'Caractères accentués mal affichés', 'Mise en page cassée', 'Saturation disque', 'Alerte de supervision', 'Fuite mémoire',
    'Consommation CPU anormale', 'Redirection en boucle', 'Session expirée trop tôt', 'Mot de passe refusé', 'Compte verrouillé',
  ],
  ctx: [
    'depuis ce matin', 'depuis hier soir', 'depuis la dernière mise en production', 'depuis la mise à jour', 'en production',
    'en recette', 'en préproduction', 'pour tous les utilisateurs', 'pour certains utilisateurs', 'pour le service RH',
    'pour le service financier', 'pour les agents en télétravail', 'de façon intermittente', 'aux heures de pointe',
    'après redémarrage', 'lors de la validation', "lors de l'export", 'sur Firefox', 'sur Chrome', 'sur mobile',
    'après la migration', 'pendant la nuit', 'en fin de mois', 'depuis lundi', 'de manière aléatoire', 'sur le site annexe',
  ],
  prob: [
    'accès refusé', 'impossible de se connecter', "impossible d'envoyer des pièces jointes", 'temps de réponse très dégradé',
    'page blanche au chargement', 'le certificat a expiré', 'la sauvegarde a échoué', 'le service ne démarre plus', 'quota dépassé',
    "erreur lors de l'enregistrement", 'les données ne sont pas à jour', 'le lien est cassé', "le mot de passe n'est pas accepté",
    "l'export est vide", 'le traitement reste bloqué', 'les notifications ne partent plus', 'le disque est saturé',
    'la synchronisation échoue', 'le formulaire ne se valide pas', 'doublons dans les résultats', 'affichage dégradé sur mobile',
    'les courriels arrivent en indésirables', 'le PDF généré est illisible', 'la recherche ne renvoie rien',
    'les droits ne sont pas appliqués', 'la page met trop de temps à se charger', "l'import des données échoue",
  ],
  demande: [
    'création de compte', 'suppression de compte', 'réinitialisation de mot de passe', 'ouverture de droits', 'modification de droits',
    "création d'une boîte fonctionnelle", "création d'une liste de diffusion", "installation d'un logiciel", 'ouverture de flux réseau',
    'renouvellement de certificat', 'augmentation de quota', 'restauration de fichiers', "création d'un environnement de recette",
    'mise en production', "déploiement d'une nouvelle version", "ajout d'un champ au formulaire", 'modification de la page d\'accueil',
    'extraction de données', 'accès au VPN', 'prêt de matériel', 'configuration de la signature électronique',
    "intégration d'un nouveau service", 'évolution du tableau de bord', 'migration de données', 'archivage des anciens dossiers',
    "création d'un sous-domaine", "mise à jour des mentions légales", 'ajout d\'une page au site internet',
  ],
  pour: [
    'un nouvel agent', 'le service communication', 'la direction des finances', 'un stagiaire', 'le prestataire', "l'équipe projet",
    'le service juridique', 'la mairie annexe', "les agents d'accueil", 'la direction générale', 'le service urbanisme',
    'un agent en mobilité', 'le service informatique', 'les élus', 'le CCAS', 'la médiathèque', 'le service état civil',
  ],
  action: [
    'Mise en production de', 'Déploiement de', 'Mise à jour de', 'Montée de version de', 'Migration de', 'Renouvellement de',
    'Redémarrage de', 'Reconfiguration de', 'Sauvegarde de', 'Restauration de', 'Optimisation de', 'Sécurisation de',
    'Recette de', 'Correctif pour', 'Paramétrage de',
  ],
  env: [
    'en recette', 'en préproduction', 'en production', 'le week-end prochain', 'hors heures ouvrées', 'avant la fin du mois',
    "suite à l'audit de sécurité", '(version 2.3)', '(version 4.1)', '(version 5.0)', 'pendant la fenêtre de maintenance',
  ],
  quand: [
    'ce matin', 'hier', 'lundi', 'la dernière mise en production', 'la mise à jour de la semaine dernière', 'le changement de serveur',
    'le renouvellement du certificat', 'la coupure réseau de cette nuit', 'plusieurs jours', 'le début du mois',
  ],
  symv: [
    'ne répond plus', 'est très lent', 'affiche une erreur', 'renvoie une page blanche', 'refuse les connexions',
    'plante de façon aléatoire', 'ne se charge pas complètement', 'met plusieurs minutes à répondre',
    'affiche des caractères illisibles', "n'envoie plus les notifications", 'redirige vers la page de connexion',
    'bloque la validation du formulaire', 'génère des doublons', 'consomme toute la mémoire',
    "n'est plus accessible depuis l'extérieur",
  ],
  err: [
    'Erreur interne du serveur', 'Accès refusé', "Délai d'attente dépassé", 'Certificat non valide', 'Connexion réinitialisée',
    'Fichier introuvable', 'Identifiants incorrects', 'Quota dépassé', 'Service temporairement indisponible', 'Requête invalide',
    'Espace disque insuffisant', 'Session expirée',
  ],
  qui: [
    'tout le service', 'plusieurs agents', "une dizaine d'utilisateurs", 'uniquement les postes en télétravail',
    'les usagers du portail', 'le service comptabilité', "les agents de l'accueil", 'les utilisateurs de Firefox',
    "l'ensemble des sites distants", 'la direction des ressources humaines',
  ],
  tent: [
    'vider le cache du navigateur', 'redémarrer le poste', 'changer de navigateur', 'nous reconnecter', 'réinitialiser le mot de passe',
    'relancer le traitement', 'vérifier les droits', 'redémarrer le service', 'purger les fichiers temporaires',
  ],
  demv: [
    'regarder au plus vite', 'nous indiquer un délai de résolution', "procéder à l'intervention", 'vérifier la configuration',
    'nous rappeler', "planifier l'opération", 'valider la procédure', 'nous tenir informés',
  ],
  enjeu: [
    'la paie du mois', 'le conseil municipal de jeudi', "la campagne d'inscriptions", 'la clôture budgétaire', "l'accueil du public",
    'les usagers', 'la mise en ligne prévue vendredi', 'le rendu des dossiers', 'les élections', 'la rentrée scolaire',
  ],
  impact: [
    'coupure de service de 15 minutes', 'aucune interruption', 'redémarrage des serveurs applicatifs',
    'indisponibilité du portail pendant une heure', 'bascule sur le site de secours', 'ralentissements possibles pendant la nuit',
  ],
  cause: [
    'un certificat expiré', 'une saturation du disque', 'une mise à jour du navigateur', 'un problème de droits sur le partage',
    'une erreur de configuration du proxy', 'un index manquant en base de données', 'une règle du pare-feu', 'un verrou sur la base',
    'un traitement batch bloqué', "une panne de l'hyperviseur", 'un quota de messagerie atteint', 'un conflit de versions',
    'une entrée DNS erronée', 'un mot de passe de service expiré',
  ],
  info: [
    "une capture d'écran", "l'heure exacte de l'erreur", 'le nom du poste', 'votre identifiant', "le message d'erreur complet",
    'la liste des utilisateurs concernés', 'le navigateur utilisé', 'le numéro de dossier',
  ],
  greet: ['Bonjour,', 'Bonjour à tous,', 'Madame, Monsieur,', 'Bonjour à l\'équipe support,'],
  bye: ["Merci d'avance.", 'Cordialement.', 'Merci pour votre aide.', 'Bien cordialement,', 'Merci de votre retour rapide.'],
  agentReply: [
    'Bonjour, nous prenons en charge votre demande.', 'Nous analysons les journaux et revenons vers vous rapidement.',
    'Le service est rétabli, merci de nous confirmer que tout fonctionne.', 'La demande a été transmise à l\'équipe système.',
    'Nous clôturons la demande faute de retour.', 'Pouvez-vous réessayer après avoir vidé le cache de votre navigateur ?',
    'Le droit a été ouvert, il sera actif à votre prochaine connexion.', 'Le compte a été déverrouillé.',
  ],
  userReply: [
    'Merci, cela fonctionne de nouveau.', 'Le problème persiste de notre côté.', 'Nous confirmons la résolution, merci.',
    "Pouvez-vous nous donner une date d'intervention ?", 'La recette est validée, vous pouvez passer en production.',
    "C'est de nouveau bloqué ce matin.", 'Merci pour la réactivité.', 'Nous ne pouvons toujours pas travailler.',
  ],
  firstName: [
    'Marie', 'Jean', 'Pierre', 'Sophie', 'Nathalie', 'Philippe', 'Isabelle', 'Nicolas', 'Catherine', 'Christophe', 'Sandrine',
    'Julien', 'Camille', 'Thomas', 'Claire', 'Laurent', 'Céline', 'Olivier', 'Émilie', 'Stéphane', 'Aurélie', 'Mathieu',
    'Valérie', 'Sébastien', 'Julie', 'Frédéric', 'Anne', 'David', 'Caroline', 'François', 'Hélène', 'Antoine', 'Élodie',
    'Vincent', 'Laure', 'Guillaume', 'Manon', 'Hugo', 'Léa', 'Arnaud',
  ],
  lastName: [
    'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent',
    'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Lefèvre',
    'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc',
    'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont',
    'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire',
    'Duval', 'Joly', 'Gautier', 'Roger', 'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Jean', 'Perez', 'Marchand',
  ],
  body: [
    'Mairie de', 'Communauté de communes de', "Communauté d'agglomération de", 'Département de', 'Syndicat mixte de',
    'Centre hospitalier de', 'Office de tourisme de', 'Métropole de', 'Conservatoire de', 'Archives de',
  ],
  town: [
    'Rennes', 'Nantes', 'Lyon', 'Lille', 'Bordeaux', 'Toulouse', 'Strasbourg', 'Dijon', 'Brest', 'Angers', 'Tours', 'Limoges',
    'Amiens', 'Metz', 'Nancy', 'Caen', 'Rouen', 'Grenoble', 'Poitiers', 'Besançon', 'Orléans', 'Pau', 'Bayonne', 'Quimper',
    'Vannes', 'Laval', 'Le Mans', 'Niort', 'La Rochelle', 'Chambéry',
  ],
  projectName: [
    'Portail usagers', 'Site internet', 'Messagerie', 'GED', 'SIRH', 'Paie', 'Finances', 'Intranet', 'Téléservices', 'État civil',
    'Urbanisme', 'Réseau et sécurité', 'Postes de travail', 'Hébergement', 'Médiathèque', 'Marchés publics', 'Téléphonie',
    'Billetterie', 'Entrepôt de données', 'Application mobile',
  ],
};

/** Two-word (sometimes three) queries that users type, for the search scenarios. */
export const QUERIES = [
  'certificat expiré', 'lenteur messagerie', 'sauvegarde échouée', 'mise en production', 'base de données', 'formulaire contact',
  "page d'accueil", 'erreur 500', 'compte verrouillé', 'serveur fichiers', 'mot de passe', 'portail usagers', 'export csv',
  'signature électronique', 'quota dépassé', 'VPN connexion', 'imprimante étage', 'traitement bloqué', 'disque saturé',
  'déploiement recette', 'parapheur électronique', 'captcha inscription', 'annuaire LDAP', 'pièces jointes',
];
